namespace PluginHost.Graph;

/// <summary>What kind of change a <see cref="GraphChange"/> is.</summary>
internal enum GraphChangeKind
{
    /// <summary>A vertex a datasource reported for the first time (or again after its deletion).</summary>
    Added,

    /// <summary>A reported vertex's <c>state</c> changed.</summary>
    StateChanged,

    /// <summary>A reported vertex was deleted (its datasource no longer reports it).</summary>
    Deleted,
}

/// <summary>
/// A change of a reported (not placeholder) vertex, as the graph records it for whoever wants to
/// say what happened: the processor's log lines, and for alarms the outputs (history, notifications).
/// </summary>
internal sealed record GraphChange(GraphChangeKind Kind, string Key, string Type, string? Name, string? State, string? PreviousState, string? DatasourceName)
{
    /// <summary>For an alarm: the vertex as it was right after the change (deleted, for an alarm that ended).</summary>
    public VertexView? Alarm { get; init; }

    /// <summary>For an alarm: the resource it is on, as it was then (what Vitrage's notifier adds as <c>resource</c>).</summary>
    public VertexView? Resource { get; init; }

    /// <summary>An alarm that became active (<see cref="GraphChangeKind.Added"/>) or ended (<see cref="GraphChangeKind.Deleted"/>).</summary>
    public bool IsAlarmStartOrEnd => Alarm is not null && Kind != GraphChangeKind.StateChanged;
}
