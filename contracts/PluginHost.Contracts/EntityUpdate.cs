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
public sealed record EntityUpdate(EntityVertex Vertex, IReadOnlyList<EntityNeighbor> Neighbors, GraphAction Action)
{
    /// <summary>
    /// Vertices that exist only because of <see cref="Vertex"/> and are owned by it, e.g. the alarms
    /// a node's conditions raise (each an <see cref="EntityCategories.Alarm"/> vertex with the edge
    /// <see cref="EdgeLabels.On"/> → the node: <see cref="EdgeDirection.ToVertex"/>). Each is a full
    /// vertex: it is created, or updated with these properties, by this update. A derived vertex this
    /// vertex reported before and no longer reports is deleted (an alarm ends), and so are all of them
    /// when the vertex is deleted (by a <see cref="GraphAction.Delete"/>, or by a complete snapshot that
    /// no longer reports it). A derived vertex reported again unchanged keeps its <c>vitrage_id</c> and,
    /// for an alarm, its <c>start_timestamp</c>. Ignored for a <see cref="GraphAction.Delete"/> and for
    /// a vertex the update only refers to. Empty by default, so transformers written before it are unchanged.
    /// </summary>
    public IReadOnlyList<EntityNeighbor> Derived { get; init; } = [];
}
