namespace PluginHost.Graph;

/// <summary>
/// A vertex as one published <see cref="GraphVersion"/> shows it: immutable, so readers on any
/// thread (API requests, output writers) never see it change under them. The properties
/// dictionary is the transformer's own, or the host's copy of it that keeps the values the vertex
/// already held where they did not change (<see cref="UnchangedPropertyValues"/>); nothing mutates
/// it after the transform.
/// </summary>
/// <remarks>
/// One exception: <see cref="SampleTimestamp"/>, which <see cref="MoveSampleTime"/> moves forward
/// in place when a datasource reports the vertex again at the version it already holds (every
/// vertex of a steady snapshot). The state the view shows is then exactly the state reported at
/// the later time, so the later time is true of every version that holds this view; freezing a
/// new view instead would copy every vertex, and the version's maps, for each snapshot (at 65,000
/// nodes most of a steady snapshot's garbage collection, bench/README.md).
/// </remarks>
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
    // UTC ticks: one atomic 64-bit word, so a reader on another thread never sees half a move.
    private long _sampleTicks = SampleTimestamp.UtcTicks;

    /// <summary>When the vertex was last reported as it is (<c>vitrage_sample_timestamp</c>), in UTC.</summary>
    public DateTimeOffset SampleTimestamp
    {
        get => new(Volatile.Read(ref _sampleTicks), TimeSpan.Zero);
        init => _sampleTicks = value.UtcTicks;
    }

    /// <summary>
    /// The graph processor's only change to a published view: the vertex was reported again,
    /// unchanged, at <paramref name="time"/>. Never moves back.
    /// </summary>
    public void MoveSampleTime(DateTimeOffset time)
    {
        if (time.UtcTicks > _sampleTicks)
        {
            Volatile.Write(ref _sampleTicks, time.UtcTicks);
        }
    }

    /// <summary>A resource's <c>vitrage_operational_state</c>, an alarm's <c>vitrage_operational_severity</c>.</summary>
    public string? OperationalValue { get; init; }

    /// <summary>A resource's <c>vitrage_aggregated_state</c>, an alarm's <c>vitrage_aggregated_severity</c>.</summary>
    public string? AggregatedValue { get; init; }

    /// <summary>An alarm's start and the resource it is on; <c>null</c> for a resource.</summary>
    public AlarmDetails? Alarm { get; init; }

    /// <summary>Live edges that start at this vertex.</summary>
    public IEnumerable<EdgeView> OutgoingLiveEdges => Edges.Where(StartsLive);

    /// <summary>Whether <paramref name="edge"/> (one of <see cref="Edges"/>) is live and starts at this vertex.</summary>
    public bool StartsLive(EdgeView edge) => !edge.IsDeleted && string.Equals(edge.SourceKey, Key, StringComparison.Ordinal);

    /// <summary>Live edges that end at this vertex.</summary>
    public IEnumerable<EdgeView> IncomingLiveEdges => Edges.Where(e => !e.IsDeleted && string.Equals(e.TargetKey, Key, StringComparison.Ordinal));
}

/// <summary>An edge as a published version shows it; both of its vertices list it.</summary>
internal sealed record EdgeView(string SourceKey, string TargetKey, string RelationshipType, bool IsDeleted, DateTimeOffset UpdateTimestamp)
{
    public string OtherKey(string key) => string.Equals(key, SourceKey, StringComparison.Ordinal) ? TargetKey : SourceKey;
}
