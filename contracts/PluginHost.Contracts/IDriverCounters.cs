namespace PluginHost.Contracts;

/// <summary>
/// Optional, on a driver: running totals of what it does that its events do not show (a watch's
/// streams, relists and backoffs, the differences a resync found), for the host's service list and
/// <c>/metrics</c>. The host reads them from any thread, at any time.
/// </summary>
public interface IDriverCounters
{
    /// <summary>
    /// Counter → total since the driver was created. A counter is a snake_case name
    /// (<c>watch_relists</c>), exported as <c>pluginhost_datasource_watch_relists_total{datasource="…"}</c>,
    /// or a name with one label (<c>watch_events{type=MODIFIED}</c>), exported as
    /// <c>pluginhost_datasource_watch_events_total{datasource="…",type="MODIFIED"}</c>; the counters
    /// of one name must all have the same label, or none. Other forms are shown in the service list
    /// but not exported.
    /// </summary>
    IReadOnlyDictionary<string, long> Counters { get; }
}
