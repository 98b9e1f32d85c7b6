namespace PluginHost.Contracts;

/// <summary>A transformer's output for one event: the vertex, its neighbors and what to do.</summary>
public sealed record EntityUpdate(EntityVertex Vertex, IReadOnlyList<EntityNeighbor> Neighbors, GraphAction Action);
