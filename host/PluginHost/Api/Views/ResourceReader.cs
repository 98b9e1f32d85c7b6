using System.Globalization;
using System.Text.Json;
using PluginHost.Api.Query;
using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Api.Views;

/// <summary>
/// <c>/v1/resources/</c> from one graph version, as vitrage/api_handler/apis/resource.py: live,
/// real resources the caller may see, narrowed by type and query (a query narrows this view; it
/// cannot show placeholders here, unlike in the topology).
/// </summary>
internal static class ResourceReader
{
    /// <summary>The selected resources in key order, read through the version's index where the request allows.</summary>
    public static List<VertexView> List(GraphVersion graph, TenantScope scope, string? type, VertexPredicate? query)
    {
        if (ResourceCandidates.For(graph, type, query) is not { } keys)
        {
            return ListByScan(graph, scope, type, query);
        }

        var resources = new List<VertexView>();
        foreach (var key in keys) // already in key order
        {
            if (graph.Find(key) is { } vertex && Selected(graph, vertex, scope, type, query))
            {
                resources.Add(vertex);
            }
        }

        return resources;
    }

    /// <summary>The same list from every vertex of the version: the path without an index (and what tests hold the index to).</summary>
    public static List<VertexView> ListByScan(GraphVersion graph, TenantScope scope, string? type, VertexPredicate? query)
    {
        var resources = graph.Vertices.Values.Where(v => Selected(graph, v, scope, type, query)).ToList();
        resources.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return resources;
    }

    /// <summary>
    /// A resource by vitrage_id, placeholders and deleted ones included (as Vitrage shows them), if
    /// the caller may see it; else <c>null</c>.
    /// </summary>
    public static VertexView? Show(GraphVersion graph, string vitrageId, TenantScope scope) =>
        graph.FindByVitrageId(vitrageId) is { Category: EntityCategories.Resource } vertex && scope.CanSee(vertex, graph) ? vertex : null;

    /// <summary>Counts by the value of <paramref name="groupBy"/> (absent: the empty string), values in order.</summary>
    public static SortedDictionary<string, int> Count(GraphVersion graph, TenantScope scope, string? type, VertexPredicate? query, string groupBy)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var candidates = ResourceCandidates.For(graph, type, query) is { } keys
            ? keys.Select(graph.Find).OfType<VertexView>()
            : graph.Vertices.Values;
        foreach (var vertex in candidates)
        {
            if (Selected(graph, vertex, scope, type, query))
            {
                var key = GroupKey(VertexPropertyReader.Get(vertex, groupBy));
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }

        return counts;
    }

    private static bool Selected(GraphVersion graph, VertexView vertex, TenantScope scope, string? type, VertexPredicate? query) =>
        VertexFilters.Resource(vertex)
        && (type is null || string.Equals(vertex.Type, type, StringComparison.Ordinal))
        && (query is null || query.Matches(vertex))
        && scope.CanSee(vertex, graph);

    // A JSON object key, as Python's json.dumps writes a dict's keys (None as "null").
    private static string GroupKey(object? value) => value switch
    {
        null => "null",
        string text => text,
        bool flag => flag ? "true" : "false",
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString()!,
        JsonElement element => element.GetRawText(),
        Utf8JsonValue { ValueKind: JsonValueKind.String } json => json.ToElement().GetString()!,
        Utf8JsonValue json => json.ToString(),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => JsonSerializer.Serialize(value, value.GetType()),
    };
}
