namespace PluginHost.Contracts;

/// <summary>
/// A vertex related to an update's vertex. A neighbor not yet in the graph becomes a placeholder;
/// a neighbor never overwrites the properties of a vertex its own datasource reported.
/// </summary>
public sealed record EntityNeighbor(EntityVertex Vertex, string RelationshipType, EdgeDirection Direction);
