namespace PluginHost.Datasources.Kubernetes.Watch;

/// <summary>
/// A resync's list compared with the watch's view, to tell a difference the watch missed from one
/// it simply had not delivered yet. At the end of the list the differences are only candidates: the
/// watch may lag behind the list. Once the watch has reached the list's last version, a candidate
/// the watch still disagrees on was missed: a node the list has and the watch never reported (nor
/// deleted after the list read it), a node the list has newer than the watch, a node the watch
/// still has unchanged from before the list started that the list does not have.
/// </summary>
internal sealed class ResyncAudit
{
    private readonly List<WatchedNode> _unreported = [];
    private readonly List<WatchedNode> _newer = [];
    private readonly List<WatchedNode> _gone = [];

    // Candidates a later resync's list disagrees with: still reported when judged (the watch did
    // miss them), but they no longer correct the watch's view, which that later list's audit judges.
    private readonly HashSet<string> _superseded = new(StringComparer.Ordinal);

    private ResyncAudit(ulong first, ulong through, DateTimeOffset startedAt)
    {
        First = first;
        Through = through;
        StartedAt = startedAt;
    }

    /// <summary>The list's own version (where it started).</summary>
    public ulong First { get; }

    /// <summary>The list's last version: the watch must have got this far before judging.</summary>
    public ulong Through { get; }

    /// <summary>When the list ended (the driver's clock).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The candidates, or null when versions are not numbers (nothing can be judged).</summary>
    public static ResyncAudit? Start(ListedNodes listed, IReadOnlyDictionary<string, WatchedNode> watched, IReadOnlyDictionary<string, ulong> deletedAt,
        DateTimeOffset now)
    {
        if (WatchedNode.ParseVersion(listed.ResourceVersion) is not { } first || WatchedNode.ParseVersion(listed.LastResourceVersion) is not { } last)
        {
            return null;
        }

        var audit = new ResyncAudit(first, Math.Max(first, last), now);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in listed.Nodes)
        {
            if (node.Version is not { } version)
            {
                return null;
            }

            seen.Add(node.Uid);
            if (!watched.TryGetValue(node.Uid, out var known))
            {
                if (!(deletedAt.TryGetValue(node.Uid, out var deleted) && deleted >= version))
                {
                    audit._unreported.Add(node);
                }
            }
            else if (known.Version < version)
            {
                audit._newer.Add(node);
            }
        }

        foreach (var known in watched.Values)
        {
            // Added after the list started: a list that began earlier cannot have it.
            if (!seen.Contains(known.Uid) && known.Version <= first)
            {
                audit._gone.Add(known);
            }
        }

        return audit;
    }

    /// <summary>
    /// A later resync listed the cluster again before this audit was judged: it is the newer truth.
    /// A candidate that list has at another version, or not at all, stays a finding but keeps the
    /// watch's view as it is; judged together, this older audit re-added a node the later list no
    /// longer had, or put back an older version of one (review of stop 40).
    /// </summary>
    public void SupersedeWith(IReadOnlyDictionary<string, WatchedNode> later)
    {
        foreach (var node in _unreported.Concat(_newer))
        {
            if (!later.TryGetValue(node.Uid, out var listed) || listed.ResourceVersion != node.ResourceVersion)
            {
                _superseded.Add(node.Uid);
            }
        }

        foreach (var node in _gone.Where(n => later.ContainsKey(n.Uid)))
        {
            _superseded.Add(node.Uid);
        }
    }

    /// <summary>
    /// Judges the candidates now that the watch got through <see cref="Through"/>, and corrects the
    /// watch's view with what the list saw; returns what was missed.
    /// </summary>
    public ResyncFindings Finish(Dictionary<string, WatchedNode> watched, IReadOnlyDictionary<string, ulong> deletedAt)
    {
        var findings = new ResyncFindings();
        foreach (var node in _unreported)
        {
            if (!watched.ContainsKey(node.Uid) && !(deletedAt.TryGetValue(node.Uid, out var deleted) && deleted >= node.Version))
            {
                if (Corrects(node))
                {
                    watched[node.Uid] = node;
                }

                findings.Unreported.Add(node.Name);
            }
        }

        foreach (var node in _newer)
        {
            if (watched.TryGetValue(node.Uid, out var known) && known.Version < node.Version)
            {
                if (Corrects(node))
                {
                    watched[node.Uid] = node;
                }

                findings.Changed.Add(node.Name);
            }
        }

        foreach (var node in _gone)
        {
            if (watched.TryGetValue(node.Uid, out var known) && known.ResourceVersion == node.ResourceVersion)
            {
                if (Corrects(node))
                {
                    watched.Remove(node.Uid);
                }

                findings.Deleted.Add(node.Name);
            }
        }

        return findings;
    }

    private bool Corrects(WatchedNode node) => !_superseded.Contains(node.Uid);
}

/// <summary>What a resync found that the watch had missed, by node name.</summary>
internal sealed class ResyncFindings
{
    private const int NamesShown = 5;

    public List<string> Unreported { get; } = [];

    public List<string> Changed { get; } = [];

    public List<string> Deleted { get; } = [];

    public int Count => Unreported.Count + Changed.Count + Deleted.Count;

    /// <summary>Adds what another audit found (each audit's findings exclude what an earlier one corrected).</summary>
    /// <remarks>A node two audits both found (a change missed before each of two resyncs) is named and
    /// counted once.</remarks>
    public void Add(ResyncFindings other)
    {
        AddNew(Unreported, other.Unreported);
        AddNew(Changed, other.Changed);
        AddNew(Deleted, other.Deleted);
    }

    // A set of the names so far, not a scan of the list for each name: a watch that missed a whole
    // cluster has every node here, judged under the lock the watch takes for each event.
    private static void AddNew(List<string> names, List<string> more)
    {
        var seen = new HashSet<string>(names, StringComparer.Ordinal);
        names.AddRange(more.Where(seen.Add));
    }

    public override string ToString() => string.Join(", ", new[]
        {
            (Unreported, "never reported"),
            (Changed, "changed"),
            (Deleted, "deleted"),
        }
        .Where(p => p.Item1.Count > 0)
        .Select(p => $"{p.Item1.Count} {p.Item2} ({string.Join(", ", p.Item1.Take(NamesShown))}{(p.Item1.Count > NamesShown ? $" and {p.Item1.Count - NamesShown} more" : string.Empty)})"));
}
