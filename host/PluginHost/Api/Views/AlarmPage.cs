using PluginHost.Graph;

namespace PluginHost.Api.Views;

/// <summary>
/// A page of <c>alarm list</c> as Vitrage pages it (its history's <c>get_alarms</c>, which serves
/// the list too): the rows in the order of the sort keys (then vitrage_id), those strictly after the
/// <see cref="Marker"/> alarm (before it with <see cref="NextPage"/> false), at most
/// <see cref="Limit"/>. The marker is looked for among the active alarms the caller may see, before
/// the filters (a filter changed between pages does not lose the place, as in the history); one that
/// names none of them (an alarm that ended since the previous page) is looked for in the history by
/// the caller (<see cref="MarkerNotActiveException"/>), as Vitrage, which serves the list from its
/// history table, finds it there; one that names no alarm at all is a 400, as in the history: an
/// empty page would end a paging script early as if no alarm came after it.
/// An absent value sorts as empty text, as the history's <c>COALESCE</c>. A filter keeps the alarms
/// whose column contains one of its values, ignoring ASCII case, like the history's SQL
/// <c>LIKE '%value%'</c> (whose <c>%</c> and <c>_</c> in a value are wildcards; here they are text).
/// </summary>
internal sealed record AlarmPage(
    IReadOnlyList<(string Column, bool Descending)> SortBy, int Limit, string? Marker, bool NextPage,
    IReadOnlyList<(string Column, IReadOnlyList<string> Values)>? Filters = null)
{
    /// <summary>The first <paramref name="limit"/> alarms by start, then vitrage_id.</summary>
    public static AlarmPage First(int limit) => new([("start_timestamp", false), ("vitrage_id", false)], limit, Marker: null, NextPage: true);

    /// <summary>The columns the rows are ordered by: the sort keys, then vitrage_id.</summary>
    public IReadOnlyList<string> KeyColumns => [.. Keys.Select(k => k.Column)];

    private IReadOnlyList<(string Column, bool Descending)> Keys => SortBy.Any(k => k.Column == "vitrage_id") ? SortBy : [.. SortBy, ("vitrage_id", false)];

    /// <param name="alarms">The active alarms the caller may see.</param>
    /// <param name="markerValues">The <see cref="KeyColumns"/> of the marker's alarm when it is not
    /// among <paramref name="alarms"/> (it ended: the history's row).</param>
    /// <exception cref="MarkerNotActiveException"><see cref="Marker"/> names none of <paramref name="alarms"/> and no <paramref name="markerValues"/> were given.</exception>
    public List<VertexView> Take(IEnumerable<VertexView> alarms, string[]? markerValues = null)
    {
        var keys = Keys;
        string[] Values(VertexView alarm) => [.. keys.Select(k => AlarmReader.Column(alarm, k.Column) ?? string.Empty)];
        var marker = markerValues;
        var rows = new List<(VertexView Alarm, string[] Values)>();
        foreach (var alarm in alarms)
        {
            if (Marker is not null && alarm.VitrageId == Marker)
            {
                marker = Values(alarm);
            }

            if (Matches(alarm))
            {
                rows.Add((alarm, Values(alarm)));
            }
        }

        var comparer = Comparer<string[]>.Create((x, y) =>
        {
            for (var i = 0; i < keys.Count; i++)
            {
                var order = string.CompareOrdinal(x[i], y[i]);
                if (order != 0)
                {
                    return keys[i].Descending ? -order : order;
                }
            }

            return 0;
        });
        rows.Sort((a, b) => comparer.Compare(a.Values, b.Values));
        if (Marker is null)
        {
            return [.. rows.Take(Limit).Select(r => r.Alarm)];
        }

        if (marker is null)
        {
            throw new MarkerNotActiveException();
        }

        // vitrage_id is one of the keys, so only the marker compares equal to itself.
        return NextPage
            ? [.. rows.Where(r => comparer.Compare(r.Values, marker) > 0).Take(Limit).Select(r => r.Alarm)]
            : [.. rows.Where(r => comparer.Compare(r.Values, marker) < 0).TakeLast(Limit).Select(r => r.Alarm)];
    }

    private bool Matches(VertexView alarm) => Filters is null || Filters.All(f =>
        AlarmReader.Column(alarm, f.Column) is { } value && f.Values.Any(v => value.Contains(v, StringComparison.OrdinalIgnoreCase)));
}

/// <summary>An <c>alarm list</c> marker names no active alarm the caller may see: look for it in the history.</summary>
internal sealed class MarkerNotActiveException() : Exception("the marker names no active alarm");
