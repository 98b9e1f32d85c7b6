namespace PluginHost.Contracts;

/// <summary>
/// A transformer that can tell, without transforming, which vertex an event is about and which
/// version of it the event carries (Kubernetes' <c>resourceVersion</c>). When the graph already
/// holds that version from the same datasource, the host only refreshes the vertex's and its own
/// edges' sample times and skips <see cref="IEntityTransformer.Transform"/>: in a steady cluster
/// most entities of a snapshot are unchanged. The transform of an unchanged version must give the
/// same vertex and edges, so the version must cover everything the transform reads.
/// </summary>
public interface IVersionedEntityTransformer : IEntityTransformer
{
    /// <summary>The vertex key and version of the event, or <c>null</c> when the event does not say.</summary>
    EntityIdentity? Identify(DatasourceEvent datasourceEvent);
}

/// <summary>A vertex key (<see cref="EntityVertex.Key"/>) and the version an event carries for it.</summary>
public readonly record struct EntityIdentity(string Key, string Version);
