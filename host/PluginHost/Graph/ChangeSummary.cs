using System.Globalization;

namespace PluginHost.Graph;

/// <summary>
/// What a snapshot (or a batch of watched changes) did, in words an operator reads at a glance:
/// "3 added (kubernetes.node n1, n2, n3), 1 deleted (kubernetes.node n9), 1 changed state (k8s-w-17 NotReady)".
/// A vertex whose state changed and came back within the same summary (a node flapping inside the
/// second a watched-change line covers) is not dropped: "1 flapped (k8s-w-17 Ready→NotReady→Ready)".
/// </summary>
internal sealed class ChangeSummary
{
    private const int NamesShown = 5;

    private readonly List<GraphChange> _added = [];
    private readonly List<GraphChange> _deleted = [];
    // key → its first and its latest state change in this summary.
    private readonly Dictionary<string, (GraphChange First, GraphChange Last)> _stateChanged = new(StringComparer.Ordinal);

    public bool IsEmpty => _added.Count == 0 && _deleted.Count == 0 && _stateChanged.Count == 0;

    public void Add(GraphChange change)
    {
        switch (change.Kind)
        {
            case GraphChangeKind.Added:
                _added.Add(change);
                break;
            case GraphChangeKind.Deleted:
                _deleted.Add(change);
                break;
            default:
                // A vertex that flipped twice is reported once, with its state now (or as a flap,
                // when it is back where it started).
                _stateChanged[change.Key] = _stateChanged.TryGetValue(change.Key, out var seen) ? (seen.First, change) : (change, change);
                break;
        }
    }

    public override string ToString()
    {
        if (IsEmpty)
        {
            return "no change";
        }

        var parts = new List<string>();
        if (_added.Count > 0)
        {
            parts.Add(Invariant($"{_added.Count} added ({Names(_added)})"));
        }

        if (_deleted.Count > 0)
        {
            parts.Add(Invariant($"{_deleted.Count} deleted ({Names(_deleted)})"));
        }

        var changed = _stateChanged.Values.Where(c => !IsFlap(c)).ToList();
        if (changed.Count > 0)
        {
            parts.Add(Invariant($"{changed.Count} changed state ({string.Join(", ", changed.Take(NamesShown).Select(c => $"{Logging.LogText.Shorten(c.Last.Name ?? c.Last.Key)} {Logging.LogText.Shorten(c.Last.State ?? "-")}"))}{More(changed.Count)})"));
        }

        var flapped = _stateChanged.Values.Where(IsFlap).ToList();
        if (flapped.Count > 0)
        {
            parts.Add(Invariant($"{flapped.Count} flapped ({string.Join(", ", flapped.Take(NamesShown).Select(c => $"{Logging.LogText.Shorten(c.Last.Name ?? c.Last.Key)} {Logging.LogText.Shorten(c.First.PreviousState ?? "-")}→{Logging.LogText.Shorten(c.First.State ?? "-")}→{Logging.LogText.Shorten(c.Last.State ?? "-")}"))}{More(flapped.Count)})"));
        }

        // Names and states are the datasources' text (a node name, a static file's entry, another
        // host's notification): escaped, so that none reaches a terminal raw or forges a log line.
        return Logging.LogText.Escape(string.Join(", ", parts));
    }

    // Back in the state it had before its first change.
    private static bool IsFlap((GraphChange First, GraphChange Last) change) =>
        string.Equals(change.First.PreviousState, change.Last.State, StringComparison.Ordinal);

    private static string Names(List<GraphChange> changes) =>
        string.Join("; ", changes.GroupBy(c => c.Type).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {string.Join(", ", g.Take(NamesShown).Select(c => Logging.LogText.Shorten(c.Name ?? c.Key)))}{More(g.Count())}"));

    private static string More(int count) => count > NamesShown ? Invariant($" and {count - NamesShown} more") : string.Empty;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
