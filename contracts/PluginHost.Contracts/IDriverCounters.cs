namespace PluginHost.Contracts;

/// <summary>
/// Optional, on a driver: running totals of what it does that its events do not show (a watch's
/// streams, relists and failures, the differences a resync found), for the host's status and
/// metrics. The host reads them from any thread, at any time.
/// </summary>
public interface IDriverCounters
{
    /// <summary>Counter name (snake_case, e.g. <c>watch_relists</c>) → total since the driver was created.</summary>
    IReadOnlyDictionary<string, long> Counters { get; }
}
