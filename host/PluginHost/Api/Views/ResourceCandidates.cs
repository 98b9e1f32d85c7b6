using System.Text.Json;
using PluginHost.Api.Query;
using PluginHost.Graph;

namespace PluginHost.Api.Views;

/// <summary>
/// Which vertices a resource list or count must read. When the type or the query pins a value the
/// version's <see cref="ResourceIndex"/> maps (<c>resource_type</c>; <c>==</c> on <c>vitrage_type</c>,
/// <c>state</c>, <c>name</c> or <c>vitrage_id</c>, alone or as a term of an <c>and</c>), the
/// smallest of the key sets they allow, in key order; otherwise <c>null</c>: every vertex. Always a
/// superset of what the request selects — the reader still applies the whole filter to each
/// vertex — so the index decides only how much is read, never what is answered.
/// </summary>
internal static class ResourceCandidates
{
    private static readonly string[] None = [];

    public static IReadOnlyCollection<string>? For(GraphVersion graph, string? type, VertexPredicate? query)
    {
        var byType = type is null ? null : graph.Resources.Keys(ResourceIndexField.Type, type);
        return query is null ? byType : Smaller(byType, FromQuery(graph, query));
    }

    private static IReadOnlyCollection<string>? FromQuery(GraphVersion graph, VertexPredicate query) => query switch
    {
        ComparisonPredicate { Operator: ComparisonOperator.Equal, Literal.ValueKind: JsonValueKind.String } equal =>
            FromEquality(graph, equal.Property, equal.Literal.GetString()!),
        AndPredicate and => and.Terms.Aggregate((IReadOnlyCollection<string>?)null, (best, term) => Smaller(best, FromQuery(graph, term))),
        _ when ReferenceEquals(query, VertexPredicate.Never) => None,
        _ => null, // or, !=, orders, non-string literals: not narrowed
    };

    // Python compares a string literal only equal to the same string: absent or non-string values never match.
    private static IReadOnlyCollection<string>? FromEquality(GraphVersion graph, string property, string value) => property switch
    {
        VertexProperties.Type => graph.Resources.Keys(ResourceIndexField.Type, value),
        VertexProperties.State => graph.Resources.Keys(ResourceIndexField.State, value),
        VertexProperties.Name => graph.Resources.Keys(ResourceIndexField.Name, value),
        VertexProperties.VitrageId => graph.KeysByVitrageId.TryGetValue(value, out var key) ? [key] : None,
        _ => null,
    };

    private static IReadOnlyCollection<string>? Smaller(IReadOnlyCollection<string>? a, IReadOnlyCollection<string>? b) =>
        a is null ? b : b is null || a.Count <= b.Count ? a : b;
}
