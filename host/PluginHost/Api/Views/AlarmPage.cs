using PluginHost.Graph;

namespace PluginHost.Api.Views;

/// <summary>
/// A page of <c>alarm list</c> as Vitrage pages it (its history's <c>get_alarms</c>, which serves
/// the list too): the rows in the order of the sort keys (then vitrage_id), those strictly after the
/// <see cref="Marker"/> alarm (before it with <see cref="NextPage"/> false), at most
/// <see cref="Limit"/>. A marker that names no listed alarm gives an empty page, as the history does.
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

    public List<VertexView> Take(IEnumerable<VertexView> alarms)
    {
        var keys = SortBy.Any(k => k.Column == "vitrage_id") ? SortBy : [.. SortBy, ("vitrage_id", false)];
        var rows = alarms.Where(Matches).Select(a => (Alarm: a, Values: keys.Select(k => AlarmReader.Column(a, k.Column) ?? string.Empty).ToArray())).ToList();
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

        var at = rows.FindIndex(r => r.Alarm.VitrageId == Marker);
        if (at < 0)
        {
            return [];
        }

        return NextPage
            ? [.. rows.Skip(at + 1).Take(Limit).Select(r => r.Alarm)]
            : [.. rows.Take(at).TakeLast(Limit).Select(r => r.Alarm)];
    }

    private bool Matches(VertexView alarm) => Filters is null || Filters.All(f =>
        AlarmReader.Column(alarm, f.Column) is { } value && f.Values.Any(v => value.Contains(v, StringComparison.OrdinalIgnoreCase)));
}
