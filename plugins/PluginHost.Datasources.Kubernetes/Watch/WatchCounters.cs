namespace PluginHost.Datasources.Kubernetes.Watch;

/// <summary>What a driver's watch did, as totals for the host's status (see <c>IDriverCounters</c>).</summary>
internal sealed class WatchCounters
{
    private long _streams;
    private long _events;
    private long _relists;
    private long _failures;
    private long _resyncDifferences;

    public void StreamOpened() => Interlocked.Increment(ref _streams);

    public void EventReceived() => Interlocked.Increment(ref _events);

    public void Relisted() => Interlocked.Increment(ref _relists);

    public void Failed() => Interlocked.Increment(ref _failures);

    public void ResyncFound(int differences) => Interlocked.Add(ref _resyncDifferences, differences);

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(StringComparer.Ordinal)
    {
        ["watch_streams"] = Interlocked.Read(ref _streams),
        ["watch_events"] = Interlocked.Read(ref _events),
        ["watch_relists"] = Interlocked.Read(ref _relists),
        ["watch_failures"] = Interlocked.Read(ref _failures),
        ["resync_differences"] = Interlocked.Read(ref _resyncDifferences),
    };
}
