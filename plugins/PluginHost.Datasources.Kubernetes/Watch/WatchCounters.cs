namespace PluginHost.Datasources.Kubernetes.Watch;

/// <summary>
/// What a driver's watch did, as totals for the host's service list and <c>/metrics</c> (see
/// <c>IDriverCounters</c>: <c>watch_events{type=MODIFIED}</c> becomes
/// <c>pluginhost_datasource_watch_events_total{datasource="…",type="MODIFIED"}</c>).
/// </summary>
internal sealed class WatchCounters
{
    private long _streams;
    private long _reconnects;
    private long _relists;
    private long _backoffs;
    private long _resyncDifferences;

    // Indexed by WatchEventType (Unknown, a type this client does not know, is kept but not shown).
    private readonly long[] _events = new long[Enum.GetValues<WatchEventType>().Length];

    /// <summary>A watch request (a WatchList's included), whether or not the server accepted it.</summary>
    public void StreamOpened() => Interlocked.Increment(ref _streams);

    /// <summary>A watch from a known version again, after a stream ended, broke, hung or failed (no relist).</summary>
    public void Reconnected() => Interlocked.Increment(ref _reconnects);

    public void EventReceived(WatchEventType type) => Interlocked.Increment(ref _events[(int)type]);

    public void Relisted() => Interlocked.Increment(ref _relists);

    /// <summary>A failure (refused, 429, 5xx, a bad stream) the watch waited a backoff for.</summary>
    public void BackedOff() => Interlocked.Increment(ref _backoffs);

    public void ResyncFound(int differences) => Interlocked.Add(ref _resyncDifferences, differences);

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(StringComparer.Ordinal)
    {
        ["watch_streams"] = Interlocked.Read(ref _streams),
        ["watch_reconnects"] = Interlocked.Read(ref _reconnects),
        ["watch_relists"] = Interlocked.Read(ref _relists),
        ["watch_backoffs"] = Interlocked.Read(ref _backoffs),
        ["watch_events{type=ADDED}"] = Events(WatchEventType.Added),
        ["watch_events{type=MODIFIED}"] = Events(WatchEventType.Modified),
        ["watch_events{type=DELETED}"] = Events(WatchEventType.Deleted),
        ["watch_events{type=BOOKMARK}"] = Events(WatchEventType.Bookmark),
        ["watch_events{type=ERROR}"] = Events(WatchEventType.Error),
        ["resync_differences"] = Interlocked.Read(ref _resyncDifferences),
    };

    private long Events(WatchEventType type) => Interlocked.Read(ref _events[(int)type]);
}
