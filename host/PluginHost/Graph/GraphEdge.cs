namespace PluginHost.Graph;

/// <summary>An edge's identity: Vitrage's multigraph keys edges by their label.</summary>
internal readonly record struct GraphEdgeKey(string SourceKey, string TargetKey, string RelationshipType);

/// <summary>Who reported an edge: a datasource, through the update of one of its vertices.</summary>
internal readonly record struct EdgeOwner(string DatasourceName, string VertexKey);

/// <summary>A directed, labelled edge.</summary>
internal sealed class GraphEdge(GraphVertex source, GraphVertex target, string relationshipType, EdgeOwner owner)
{
    public GraphVertex Source { get; } = source;

    public GraphVertex Target { get; } = target;

    public string RelationshipType { get; } = relationshipType;

    /// <summary>Only the owner's later updates (or its complete snapshots) remove the edge.</summary>
    public EdgeOwner Owner { get; set; } = owner;

    /// <summary>The sample time of the update that last reported this edge.</summary>
    public DateTimeOffset SampleTimestamp { get; set; }

    public bool IsDeleted { get; set; }

    public DateTimeOffset UpdateTimestamp { get; set; }

    /// <summary>
    /// The edge as it was last published (read while the graph processor publishes: on its thread,
    /// or on the thread pool for a large publication). Both ends' views, and the
    /// versions after it until the edge changes, share it rather than each freezing a copy: a
    /// cluster's view is frozen again with every publication of a snapshot that adds its nodes.
    /// </summary>
    public EdgeView View
    {
        get
        {
            var view = Volatile.Read(ref _view);
            if (view is null || view.IsDeleted != IsDeleted || !view.UpdateTimestamp.EqualsExact(UpdateTimestamp))
            {
                // A large publication freezes vertices on several threads, and both ends of an edge
                // may ask at once (the edge does not change meanwhile): the first view made is the
                // one both ends share.
                var made = new EdgeView(Source.Key, Target.Key, RelationshipType, IsDeleted, UpdateTimestamp);
                var seen = Interlocked.CompareExchange(ref _view, made, view);
                view = ReferenceEquals(seen, view) ? made : seen!;
            }

            return view;
        }
    }

    private EdgeView? _view;

    public GraphEdgeKey Key => new(Source.Key, Target.Key, RelationshipType);

    public GraphVertex Other(GraphVertex vertex) => ReferenceEquals(vertex, Source) ? Target : Source;
}
