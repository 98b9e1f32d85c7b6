namespace PluginHost.Configuration;

/// <summary>
/// "Did you mean": the known name closest to a misspelt one, when it is at most two edits away
/// (an insertion, deletion, substitution or swap of neighbours each count one).
/// </summary>
internal static class NameSuggestion
{
    public const int MaxDistance = 2;

    // Names whose lengths differ by more than MaxDistance are never that close; the table below is
    // not even made for them (a hostile test, stop 39: a 10 MB section name took a table of
    // 10 M x ~20 cells, 800 MB, for each known name it was held against).
    public static string? Closest(string name, IEnumerable<string> known) =>
        known.Where(k => Math.Abs(k.Length - name.Length) <= MaxDistance)
            .Select(k => (Name: k, Distance: Distance(name.ToLowerInvariant(), k.ToLowerInvariant())))
            .Where(c => c.Distance is > 0 and <= MaxDistance)
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name).FirstOrDefault();

    // Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one substring).
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
