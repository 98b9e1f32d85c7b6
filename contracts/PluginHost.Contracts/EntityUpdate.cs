namespace PluginHost.Contracts;

/// <summary>A transformer's output for one event: the vertex, its neighbors and what to do.</summary>
public sealed record EntityUpdate(EntityVertex Vertex, IReadOnlyList<EntityNeighbor> Neighbors, GraphAction Action)
{
    /// <summary>
    /// The vertex belongs to another datasource and is only referred to (a static file naming a
    /// Nova VM): it becomes a placeholder if it is not in the graph, its properties are never
    /// changed, and only the edges of this update are applied.
    /// </summary>
    public bool IsReference { get; init; }
}
