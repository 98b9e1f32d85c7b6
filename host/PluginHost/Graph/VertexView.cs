namespace PluginHost.Graph;

/// <summary>
/// A vertex as one published <see cref="GraphVersion"/> shows it: immutable, so readers on any
/// thread (API requests, output writers) never see it change under them. The properties
/// dictionary is the transformer's own, which nothing mutates after the transform.
/// </summary>
internal sealed record VertexView(
    string Key,
    string VitrageId,
    string Category,
    string Type,
    string Id,
    string? Name,
    string? State,
    bool IsDeleted,
    bool IsPlaceholder,
    DateTimeOffset SampleTimestamp,
    DateTimeOffset UpdateTimestamp,
    string? DatasourceName,
    IReadOnlyDictionary<string, object?> Properties,
    IReadOnlyList<EdgeView> Edges)
{
    /// <summary>A resource's <c>vitrage_operational_state</c>, an alarm's <c>vitrage_operational_severity</c>.</summary>
    public string? OperationalValue { get; init; }

    /// <summary>A resource's <c>vitrage_aggregated_state</c>, an alarm's <c>vitrage_aggregated_severity</c>.</summary>
    public string? AggregatedValue { get; init; }

    /// <summary>An alarm's start and the resource it is on; <c>null</c> for a resource.</summary>
    public AlarmDetails? Alarm { get; init; }

    /// <summary>Live edges that start at this vertex.</summary>
    public IEnumerable<EdgeView> OutgoingLiveEdges => Edges.Where(e => !e.IsDeleted && string.Equals(e.SourceKey, Key, StringComparison.Ordinal));

    /// <summary>Live edges that end at this vertex.</summary>
    public IEnumerable<EdgeView> IncomingLiveEdges => Edges.Where(e => !e.IsDeleted && string.Equals(e.TargetKey, Key, StringComparison.Ordinal));
}

/// <summary>An edge as a published version shows it; both of its vertices list it.</summary>
internal sealed record EdgeView(string SourceKey, string TargetKey, string RelationshipType, bool IsDeleted, DateTimeOffset UpdateTimestamp)
{
    public string OtherKey(string key) => string.Equals(key, SourceKey, StringComparison.Ordinal) ? TargetKey : SourceKey;
}
