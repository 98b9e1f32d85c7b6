namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// The resourceVersion of the last complete node read (list or WatchList) of one driver. On a
/// working server each list's version is at least the one before; one below it means etcd was
/// restored from a backup, and a node may since have been re-written at the very version the graph
/// holds from before, with other content. The host refreshes an event whose version it holds
/// without reading it, so such a read must report every node without a version (each is then
/// transformed again) until one completes; the steady path is unchanged. Versions that are not
/// numbers are never judged. Thread-safe: a resync and a relist may read at once.
/// </summary>
internal sealed class ListVersions
{
    private readonly Lock _gate = new();
    private ulong? _completed;

    /// <summary>The last complete read's version, as the server wrote it (for the log).</summary>
    public ulong? Completed
    {
        get
        {
            lock (_gate)
            {
                return _completed;
            }
        }
    }

    /// <summary>
    /// Whether a read of the list at <paramref name="resourceVersion"/> went back behind
    /// <paramref name="completedBefore"/>: <see cref="Completed"/> as it was when the read started.
    /// A read that completed meanwhile (a relist beside a resync) may have started later, at a
    /// later version, and is no measure: held against it, a resync's list was taken for an etcd restore.
    /// </summary>
    public static bool WentBack(string? resourceVersion, ulong? completedBefore) =>
        WatchedNode.ParseVersion(resourceVersion) is { } version && completedBefore is { } completed && version < completed;

    /// <summary>
    /// A read of the list at <paramref name="resourceVersion"/> completed, every node of it in the
    /// graph as read: later reads are judged against it (a lower version after a restore). Not
    /// called for a read that failed, so the next one is judged against the version before.
    /// </summary>
    public void Complete(string? resourceVersion)
    {
        if (WatchedNode.ParseVersion(resourceVersion) is { } version)
        {
            lock (_gate)
            {
                _completed = version;
            }
        }
    }
}
