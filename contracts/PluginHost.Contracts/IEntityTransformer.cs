namespace PluginHost.Contracts;

/// <summary>
/// Turns one event into a graph update. A pure function of the event and of the settings it was
/// created with: no I/O, no clock, no state between calls, safe to call from any thread.
/// </summary>
public interface IEntityTransformer
{
    /// <summary>The vertex, its neighbors and the action for <paramref name="datasourceEvent"/>.</summary>
    EntityUpdate Transform(DatasourceEvent datasourceEvent);
}
