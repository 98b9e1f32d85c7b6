using System.Globalization;

namespace PluginHost.Graph;

/// <summary>
/// What a snapshot (or a batch of watched changes) did, in words an operator reads at a glance:
/// "3 added (kubernetes.node n1, n2, n3), 1 deleted (kubernetes.node n9), 1 changed state (k8s-w-17 NotReady)".
/// </summary>
internal sealed class ChangeSummary
{
    private const int NamesShown = 5;

    private readonly List<GraphChange> _added = [];
    private readonly List<GraphChange> _deleted = [];
    private readonly Dictionary<string, GraphChange> _stateChanged = new(StringComparer.Ordinal);

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
                // A vertex that flipped twice is reported once, with its state now.
                _stateChanged[change.Key] = _stateChanged.TryGetValue(change.Key, out var first) ? change with { PreviousState = first.PreviousState } : change;
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

        var changed = _stateChanged.Values.Where(c => !string.Equals(c.PreviousState, c.State, StringComparison.Ordinal)).ToList();
        if (changed.Count > 0)
        {
            parts.Add(Invariant($"{changed.Count} changed state ({string.Join(", ", changed.Take(NamesShown).Select(c => $"{c.Name ?? c.Key} {c.State ?? "-"}"))}{More(changed.Count)})"));
        }

        return parts.Count == 0 ? "no change" : string.Join(", ", parts);
    }

    private static string Names(List<GraphChange> changes) =>
        string.Join("; ", changes.GroupBy(c => c.Type).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {string.Join(", ", g.Take(NamesShown).Select(c => c.Name ?? c.Key))}{More(g.Count())}"));

    private static string More(int count) => count > NamesShown ? Invariant($" and {count - NamesShown} more") : string.Empty;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
