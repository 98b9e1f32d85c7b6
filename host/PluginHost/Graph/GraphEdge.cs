namespace PluginHost.Graph;

/// <summary>An edge's identity: Vitrage's multigraph keys edges by their label.</summary>
internal readonly record struct GraphEdgeKey(string SourceKey, string TargetKey, string RelationshipType);

/// <summary>A directed, labelled edge.</summary>
internal sealed class GraphEdge(GraphVertex source, GraphVertex target, string relationshipType, string reportedBy)
{
    public GraphVertex Source { get; } = source;

    public GraphVertex Target { get; } = target;

    public string RelationshipType { get; } = relationshipType;

    /// <summary>The vertex whose update reported this edge; only that vertex's updates remove it.</summary>
    public string ReportedBy { get; set; } = reportedBy;

    public bool IsDeleted { get; set; }

    public DateTimeOffset UpdateTimestamp { get; set; }

    public GraphEdgeKey Key => new(Source.Key, Target.Key, RelationshipType);

    public GraphVertex Other(GraphVertex vertex) => ReferenceEquals(vertex, Source) ? Target : Source;
}
