namespace PluginHost.Scheduling;

/// <summary>
/// A datasource's health as its runner sees it, for the <c>status</c> verb, the API and metrics.
/// Written by the runner, read from anywhere: each update replaces one immutable snapshot.
/// </summary>
internal sealed class DatasourceStatus
{
    private Snapshot _current = new(null, null, null, null, 0, 0, 0, null, null, 0);

    public Snapshot Current => Volatile.Read(ref _current);

    public void SnapshotSucceeded(DateTimeOffset started, DateTimeOffset finished, int events)
    {
        var c = Current;
        Volatile.Write(ref _current, c with
        {
            LastStarted = started,
            LastFinished = finished,
            LastSuccess = finished,
            LastDuration = finished - started,
            LastEventCount = events,
            CompletedSnapshots = c.CompletedSnapshots + 1,
            ConsecutiveFailures = 0,
            FailingSince = null,
            LastError = null,
        });
    }

    public void SnapshotFailed(DateTimeOffset started, DateTimeOffset finished, string error)
    {
        var c = Current;
        Volatile.Write(ref _current, c with
        {
            LastStarted = started,
            LastFinished = finished,
            LastDuration = finished - started,
            FailedSnapshots = c.FailedSnapshots + 1,
            ConsecutiveFailures = c.ConsecutiveFailures + 1,
            FailingSince = c.FailingSince ?? started,
            LastError = error,
        });
    }

    public void ChangesFailed(DateTimeOffset at, string error)
    {
        var c = Current;
        Volatile.Write(ref _current, c with { LastChangesError = error, LastChangesErrorAt = at });
    }

    /// <summary>One consistent view of a datasource's health.</summary>
    public sealed record Snapshot(
        DateTimeOffset? LastStarted,
        DateTimeOffset? LastFinished,
        DateTimeOffset? LastSuccess,
        TimeSpan? LastDuration,
        int LastEventCount,
        int CompletedSnapshots,
        int FailedSnapshots,
        DateTimeOffset? FailingSince,
        string? LastError,
        int ConsecutiveFailures)
    {
        public string? LastChangesError { get; init; }

        public DateTimeOffset? LastChangesErrorAt { get; init; }

        /// <summary><c>ok</c>, <c>failing</c> or <c>never succeeded</c> / <c>starting</c>.</summary>
        public string State => ConsecutiveFailures > 0
            ? (LastSuccess is null ? "never succeeded" : "failing")
            : LastSuccess is null ? "starting" : "ok";
    }
}
