using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Outputs;

/// <summary>
/// Something that is told about events, snapshots and graph versions (files, logs, buses). Every
/// call comes from the graph processor and must not wait on I/O: an output hands the work to its
/// own bounded buffer and worker, so a slow or broken output never stalls the graph or the other
/// outputs. The one exception is bounded and documented: the notification output may hold the
/// graph while its buffer is full and the broker is connected or only briefly away
/// (<c>notification_full_wait</c>), so a broker restart loses nothing. An exception thrown from a
/// call is logged by the processor and ignored.
/// </summary>
internal interface IGraphOutput : IAsyncDisposable
{
    /// <summary>For logs and status: <c>graph_file</c>, <c>event_log</c>, <c>notifications</c>.</summary>
    string Name { get; }

    /// <summary>The last error the output met, while it is failing; <c>null</c> when healthy.</summary>
    string? LastError { get; }

    ValueTask OnEventAsync(DatasourceEvent datasourceEvent, CancellationToken cancellationToken);

    /// <summary>A datasource started a snapshot; its events follow.</summary>
    ValueTask OnSnapshotStartedAsync(string datasourceName, DateTimeOffset startedAt, CancellationToken cancellationToken);

    /// <summary>
    /// A datasource's snapshot ended. <paramref name="complete"/> is <c>false</c> for a failed or
    /// cancelled one (nothing was deleted for it).
    /// </summary>
    ValueTask OnSnapshotEndedAsync(string datasourceName, DateTimeOffset startedAt, bool complete, CancellationToken cancellationToken);

    /// <summary>
    /// Alarms became active (<see cref="GraphChangeKind.Added"/>) or ended (<see cref="GraphChangeKind.Deleted"/>),
    /// each with the alarm vertex as it was then (<see cref="GraphChange.Alarm"/>), in the order the
    /// graph applied them. Told after the events that caused them and before the end of their
    /// snapshot; the same bounded wait as <see cref="OnEventAsync"/> applies. Most outputs ignore it.
    /// </summary>
    ValueTask OnAlarmsChangedAsync(IReadOnlyList<GraphChange> changes, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// A reload made this output to replace <paramref name="previous"/>: told on the processor's task, before
    /// any change reaches this one, so it can go on with what the previous one knew. Most outputs ignore it.
    /// </summary>
    void Replaces(IGraphOutput previous)
    {
    }

    /// <summary>The processor published a new graph version.</summary>
    void OnGraphPublished(GraphVersion version);

    /// <summary>Writes out what is buffered, within <paramref name="cancellationToken"/>'s time.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
