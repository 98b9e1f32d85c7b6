namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// The resourceVersion of the last complete node read (list or WatchList) of one driver, and whether
/// an etcd restore was seen that no read has applied in full yet. On a working server each list's
/// version is at least the one before; one below it means etcd was restored from a backup, and a
/// node may since have been re-written at the very version the graph holds from before, with other
/// content. The host refreshes an event whose version it holds without reading it, so once a
/// restore is seen every node read or watched goes out without a version (each is then transformed
/// again) until a read that did so for every node completes. The mark is needed because the version
/// alone forgets: a WatchList learns its version only after its nodes went out, and a cluster's
/// version soon passes the old one again (leases, events), so the next read would look steady.
/// Versions that are not numbers are never judged. Thread-safe: a resync, a relist and the watch
/// may read at once.
/// </summary>
internal sealed class ListVersions
{
    private readonly Lock _gate = new();
    private ulong? _completed;
    private int _restores; // restores seen so far: a read clears the mark only for the last one
    private volatile bool _restorePending;

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
    /// Whether a restore was seen that no read has applied in full yet: then every node event goes
    /// out without its version. One volatile read, so the watch can ask for each event.
    /// </summary>
    public bool RestorePending => _restorePending;

    /// <summary>
    /// What a read is judged against, as it starts: the last complete version (a read completed
    /// meanwhile, a relist beside a resync, may have started later at a later version and is no
    /// measure: held against it, a resync's list was taken for an etcd restore) and the restore it
    /// must apply in full, if one is pending.
    /// </summary>
    public ReadStart Begin()
    {
        lock (_gate)
        {
            return new ReadStart(_completed, _restorePending ? _restores : null);
        }
    }

    /// <summary>
    /// Whether a read of the list at <paramref name="resourceVersion"/> went back behind
    /// <paramref name="completedBefore"/> (<see cref="ReadStart.Completed"/>).
    /// </summary>
    public static bool WentBack(string? resourceVersion, ulong? completedBefore) =>
        WatchedNode.ParseVersion(resourceVersion) is { } version && completedBefore is { } completed && version < completed;

    /// <summary>
    /// A read saw its version go back: marks the restore pending until a read applies every node in
    /// full. Returns the restore's number, for <see cref="Complete"/> of a read that applies it so itself.
    /// </summary>
    public int RestoreSeen()
    {
        lock (_gate)
        {
            _restorePending = true;
            return ++_restores;
        }
    }

    /// <summary>
    /// A read of the list at <paramref name="resourceVersion"/> completed, every node of it in the
    /// graph as read: later reads are judged against it. <paramref name="appliedInFull"/> is the
    /// restore it applied every node in full for (from its <see cref="ReadStart"/> or
    /// <see cref="RestoreSeen"/>); the mark is cleared only if no restore was seen since. Not called
    /// for a read that failed, so the version and the mark stay for the next one.
    /// </summary>
    public void Complete(string? resourceVersion, int? appliedInFull)
    {
        lock (_gate)
        {
            if (WatchedNode.ParseVersion(resourceVersion) is { } version)
            {
                _completed = version;
            }

            if (appliedInFull is { } restore && restore == _restores)
            {
                _restorePending = false;
            }
        }
    }
}

/// <summary>What a read is judged against as it starts (<see cref="ListVersions.Begin"/>).</summary>
/// <param name="Completed">The last complete read's version.</param>
/// <param name="PendingRestore">The restore no read has applied in full yet, if any: this read applies every node in full.</param>
internal readonly record struct ReadStart(ulong? Completed, int? PendingRestore);
