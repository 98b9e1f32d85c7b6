namespace PluginHost.KubeApiSimulator;

/// <summary>
/// The subset of label and field selectors the simulator understands: <c>key</c>, <c>!key</c>,
/// <c>key=value</c>, <c>key==value</c>, <c>key!=value</c> (comma means "and") and
/// <c>metadata.name=</c> / <c>metadata.name!=</c> for fields.
/// </summary>
internal static class ListSelectors
{
    /// <summary>What a list without selectors uses: the store counts what remains without testing each node.</summary>
    public static readonly Func<StoredNode, bool> All = _ => true;

    public static Func<StoredNode, bool> Parse(string? labelSelector, string? fieldSelector)
    {
        var tests = new List<Func<StoredNode, bool>>();
        foreach (var term in Terms(labelSelector))
        {
            tests.Add(LabelTerm(term));
        }

        foreach (var term in Terms(fieldSelector))
        {
            var (key, value, negate) = Split(term) ?? throw new FormatException($"invalid field selector term '{term}'");
            if (key != "metadata.name")
            {
                throw new FormatException($"field label not supported: {key}");
            }

            tests.Add(n => (n.Name == value) != negate);
        }

        return tests.Count == 0 ? All : n => tests.TrueForAll(t => t(n));
    }

    private static IEnumerable<string> Terms(string? selector) =>
        string.IsNullOrWhiteSpace(selector) ? [] : selector.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static Func<StoredNode, bool> LabelTerm(string term)
    {
        if (term.Contains(" in ", StringComparison.Ordinal) || term.Contains(" notin ", StringComparison.Ordinal))
        {
            throw new FormatException($"set-based selector '{term}' is not supported by the simulator");
        }

        if (Split(term) is var (key, value, negate))
        {
            return n => (n.Labels.TryGetValue(key, out var actual) && actual == value) != negate;
        }

        return term.StartsWith('!') ? n => !n.Labels.ContainsKey(term[1..]) : n => n.Labels.ContainsKey(term);
    }

    private static (string Key, string Value, bool Negate)? Split(string term)
    {
        var notEquals = term.IndexOf("!=", StringComparison.Ordinal);
        if (notEquals > 0)
        {
            return (term[..notEquals].Trim(), term[(notEquals + 2)..].Trim(), true);
        }

        var equals = term.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return null;
        }

        var valueStart = term.Length > equals + 1 && term[equals + 1] == '=' ? equals + 2 : equals + 1;
        return (term[..equals].Trim(), term[valueStart..].Trim(), false);
    }
}
