namespace PluginHost.Datasources.Kubernetes.Watch;

/// <summary>
/// The watch's view of the cluster (client-go's store, without the nodes themselves): each node's
/// uid, name, version and cloud identity, how far the watch got, and the nodes deleted since the
/// last resync. It gives the cluster event after nodes came, went or changed their instance, and
/// judges what a resync found (<see cref="ResyncAudit"/>). Thread-safe: the watch and the host's
/// resync both use it.
/// </summary>
internal sealed class WatchedNodes
{
    // Deletions between two resyncs are few; the bound only keeps a pathological stream in check.
    private const int MaxDeletions = 100_000;

    // Resyncs' audits waiting for the watch. With snapshots_interval >= 10 s and audits judged once
    // overdue (30 s), at most four wait; the bound only keeps resyncs run back to back in check.
    private const int MaxPendingAudits = 8;

    private readonly object _gate = new();
    private readonly Dictionary<string, WatchedNode> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong> _deletedAt = new(StringComparer.Ordinal);
    private ulong? _version;

    // Oldest first. An audit waits until the watch gets through its list, or until it is overdue:
    // a newer resync must not replace it, or with resyncs closer than the overdue age (snapshots_interval
    // <= 30 s) a silent watch's audit would be replaced for ever and never judged.
    private readonly List<ResyncAudit> _audits = [];
    private bool _clusterChanged;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _nodes.Count;
            }
        }
    }

    /// <summary>A complete read (list, WatchList, relist): its nodes are the watch's from now on.</summary>
    public void Replace(ListedNodes listed)
    {
        lock (_gate)
        {
            _nodes.Clear();
            foreach (var node in listed.Nodes)
            {
                _nodes[node.Uid] = node;
            }

            _deletedAt.Clear();
            _version = WatchedNode.ParseVersion(listed.ResourceVersion);
            _audits.Clear(); // the new read is the truth: nothing left to judge
            _clusterChanged = false;
        }
    }

    /// <summary>An ADDED or MODIFIED node.</summary>
    public void Put(WatchedNode node)
    {
        lock (_gate)
        {
            if (!_nodes.TryGetValue(node.Uid, out var old) || old.Identity != node.Identity)
            {
                _clusterChanged = true;
            }

            _nodes[node.Uid] = node;
            Advance(node.Version);
        }
    }

    /// <summary>A DELETED node.</summary>
    public void Remove(WatchedNode node)
    {
        lock (_gate)
        {
            _clusterChanged |= _nodes.Remove(node.Uid);
            if (node.Version is { } version)
            {
                if (_deletedAt.Count >= MaxDeletions)
                {
                    _deletedAt.Clear();
                }

                _deletedAt[node.Uid] = version;
            }

            Advance(node.Version);
        }
    }

    /// <summary>A BOOKMARK: the watch got this far.</summary>
    public void Advance(string? resourceVersion)
    {
        lock (_gate)
        {
            Advance(WatchedNode.ParseVersion(resourceVersion));
        }
    }

    /// <summary>When nodes came, went or changed their instance since the last call: what the cluster event needs.</summary>
    public (int Count, List<NodeIdentity> Identities)? TakeClusterChange()
    {
        lock (_gate)
        {
            if (!_clusterChanged)
            {
                return null;
            }

            _clusterChanged = false;
            return (_nodes.Count, _nodes.Values.Where(n => n.Identity is not null).Select(n => n.Identity!).ToList());
        }
    }

    /// <summary>
    /// After a complete resync list: compares it with the watch's view. Its findings come from
    /// <see cref="TakeFindings"/> once the watch has got as far as the list (at once if it has).
    /// Earlier resyncs' audits the watch never got through (a silent or stuck watch) are kept, not
    /// replaced, and each is judged now if it started <paramref name="overdueAfter"/> or longer
    /// before <paramref name="now"/>: what the watch still disagrees on so long after was missed.
    /// Their findings are returned, with the last list the watch did not get through.
    /// </summary>
    public (ResyncFindings Findings, ulong Through)? StartAudit(ListedNodes listed, DateTimeOffset now, TimeSpan overdueAfter)
    {
        lock (_gate)
        {
            ResyncFindings? overdue = null;
            ulong through = 0;
            JudgeWhere(a => now - a.StartedAt >= overdueAfter, ref overdue, ref through);

            if (ResyncAudit.Start(listed, _nodes, _deletedAt, now) is { } audit)
            {
                if (_audits.Count > 0)
                {
                    var later = new Dictionary<string, WatchedNode>(StringComparer.Ordinal);
                    foreach (var node in listed.Nodes)
                    {
                        later[node.Uid] = node;
                    }

                    _audits.ForEach(waiting => waiting.SupersedeWith(later));
                }

                _audits.Add(audit);
                if (_audits.Count > MaxPendingAudits)
                {
                    Judge(0, ref overdue, ref through); // early rather than never
                }
            }

            // A node deleted before the oldest waiting list started cannot be in it or a later one;
            // a deletion a waiting audit may still need is kept.
            var oldest = _audits.Count > 0 ? _audits.Min(a => a.First) : WatchedNode.ParseVersion(listed.ResourceVersion);
            if (oldest is { } first)
            {
                foreach (var (uid, _) in _deletedAt.Where(d => d.Value <= first).ToList())
                {
                    _deletedAt.Remove(uid);
                }
            }

            return overdue is null ? null : (overdue, through);
        }
    }

    // Judges, oldest first, every waiting audit that is due.
    private void JudgeWhere(Predicate<ResyncAudit> due, ref ResyncFindings? findings, ref ulong through)
    {
        for (var i = 0; i < _audits.Count;)
        {
            if (due(_audits[i]))
            {
                Judge(i, ref findings, ref through);
            }
            else
            {
                i++;
            }
        }
    }

    private void Judge(int index, ref ResyncFindings? findings, ref ulong through)
    {
        var audit = _audits[index];
        _audits.RemoveAt(index);
        (findings ??= new ResyncFindings()).Add(audit.Finish(_nodes, _deletedAt));
        through = Math.Max(through, audit.Through);
    }

    /// <summary>What the last resync found the watch had missed, once the watch got through the list; null before, or when nothing is pending.</summary>
    public ResyncFindings? TakeFindings()
    {
        lock (_gate)
        {
            if (_audits.Count == 0 || _version is not { } version)
            {
                return null;
            }

            ResyncFindings? findings = null;
            ulong through = 0;
            JudgeWhere(a => version >= a.Through, ref findings, ref through);

            return findings; // the resync's own cluster event already put its nodes in the graph
        }
    }

    private void Advance(ulong? version)
    {
        if (version is { } v && (_version is not { } current || v > current))
        {
            _version = v;
        }
    }
}
