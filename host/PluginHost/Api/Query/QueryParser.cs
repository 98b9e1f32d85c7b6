using System.Text.Json;

namespace PluginHost.Api.Query;

/// <summary>
/// Vitrage's query language (vitrage/graph/query.py): a JSON object with one operator, <c>and</c>
/// or <c>or</c> over a list of queries, or a comparison (<c>== != &lt; &lt;= &gt; &gt;=</c>) over an
/// object of property → value, several properties meaning <c>and</c>. Where Vitrage fails with a
/// 500 (or silently uses one of several operators), this refuses with a message naming the problem.
/// </summary>
internal static class QueryParser
{
    // Far below what any real query nests; bounds the recursion of both parsing and matching.
    private const int MaxDepth = 32;

    // Every comparison is evaluated against every vertex the request may see, without a way to stop
    // once the client has gone: 45,000 of them (what a 1 MiB body holds) kept a core busy for half a
    // minute at 5,000 nodes, per request. A query written by a person or a script has a handful.
    public const int MaxComparisons = 1000;

    private static readonly Dictionary<string, ComparisonOperator> Comparisons = new(StringComparer.Ordinal)
    {
        ["=="] = ComparisonOperator.Equal,
        ["!="] = ComparisonOperator.NotEqual,
        ["<"] = ComparisonOperator.Less,
        ["<="] = ComparisonOperator.LessOrEqual,
        [">"] = ComparisonOperator.Greater,
        [">="] = ComparisonOperator.GreaterOrEqual,
    };

    private const string Operators = "and, or, ==, !=, <, <=, >, >=";

    /// <summary>Parses the query text a client sends (a JSON string inside the request).</summary>
    /// <exception cref="QueryException">The text is not JSON or not a query.</exception>
    public static VertexPredicate Parse(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = (MaxDepth + 2) * 2 }); // each level is an object and a list
        }
        catch (JsonException e)
        {
            throw new QueryException($"query is not valid JSON: {e.Message}");
        }

        using (document)
        {
            // Literals must outlive the document.
            return Parse(document.RootElement.Clone());
        }
    }

    /// <exception cref="QueryException">The element is not a query.</exception>
    public static VertexPredicate Parse(JsonElement query)
    {
        var comparisons = 0;
        return ParseQuery(query, "query", 0, ref comparisons);
    }

    /// <param name="comparisons">The comparisons of the whole query parsed so far.</param>
    private static VertexPredicate ParseQuery(JsonElement query, string where, int depth, ref int comparisons)
    {
        if (depth > MaxDepth)
        {
            throw new QueryException($"query nests deeper than {MaxDepth} levels");
        }

        if (query.ValueKind != JsonValueKind.Object)
        {
            throw new QueryException($"{where} must be an object with one operator ({Operators}), not {Describe(query)}");
        }

        using var properties = query.EnumerateObject();
        if (!properties.MoveNext())
        {
            throw new QueryException($"{where} is an empty object; it needs one operator ({Operators})");
        }

        var property = properties.Current;
        if (properties.MoveNext())
        {
            throw new QueryException(
                $"{where} has more than one operator ('{property.Name}', '{properties.Current.Name}'); combine them with and/or");
        }

        var path = $"{where}.{property.Name}";
        return property.Name switch
        {
            "and" or "or" => ParseLogical(property.Name, property.Value, path, depth, ref comparisons),
            _ when Comparisons.TryGetValue(property.Name, out var op) => ParseComparison(op, property.Value, path, ref comparisons),
            _ => throw new QueryException($"{where}: unknown operator '{property.Name}' (expected {Operators})"),
        };
    }

    private static VertexPredicate ParseLogical(string name, JsonElement list, string where, int depth, ref int comparisons)
    {
        var terms = ParseTerms(list, where, depth, ref comparisons);
        if (terms.Count == 0)
        {
            return VertexPredicate.Never; // Vitrage: an empty and/or matches nothing
        }

        return name == "and" ? new AndPredicate(terms) : new OrPredicate(terms);
    }

    private static List<VertexPredicate> ParseTerms(JsonElement list, string where, int depth, ref int comparisons)
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new QueryException($"{where} must be a list of queries, not {Describe(list)}");
        }

        var terms = new List<VertexPredicate>(list.GetArrayLength());
        var index = 0;
        foreach (var term in list.EnumerateArray())
        {
            terms.Add(ParseQuery(term, $"{where}[{index++}]", depth + 1, ref comparisons));
        }

        return terms;
    }

    private static VertexPredicate ParseComparison(ComparisonOperator op, JsonElement fields, string where, ref int comparisons)
    {
        if (fields.ValueKind != JsonValueKind.Object)
        {
            throw new QueryException($"{where} must be an object of property: value, not {Describe(fields)}");
        }

        comparisons += Math.Max(1, fields.GetPropertyCount());
        if (comparisons > MaxComparisons)
        {
            throw new QueryException($"query has more than {MaxComparisons} comparisons");
        }

        // Several properties under one comparison are an implicit 'and', as in Vitrage.
        var terms = fields.EnumerateObject().Select(f => (VertexPredicate)new ComparisonPredicate(op, f.Name, f.Value)).ToList();
        return terms.Count switch
        {
            0 => VertexPredicate.Never,
            1 => terms[0],
            _ => new AndPredicate(terms),
        };
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };
}
