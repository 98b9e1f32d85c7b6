namespace PluginHost.Contracts;

/// <summary>
/// A transformer's output for one event: the vertex, its neighbors and what to do.
/// </summary>
/// <remarks>
/// A vertex whose type another plugin owns (or one of <see cref="KnownEntityTypes.OpenStack"/>) is
/// only referred to: it becomes a placeholder when it is not in the graph, its properties are
/// never changed, and only this update's edges apply. A static file naming a Nova VM works so.
/// </remarks>
/// <param name="Vertex">The entity itself.</param>
/// <param name="Neighbors">Related vertices, each with the edge to it; edges this vertex reported
/// before and no longer reports are deleted.</param>
/// <param name="Action">Create or update the vertex, or delete it with its edges.</param>
public sealed record EntityUpdate(EntityVertex Vertex, IReadOnlyList<EntityNeighbor> Neighbors, GraphAction Action);
