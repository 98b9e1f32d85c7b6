using PluginHost.Api.Query;
using PluginHost.Graph;

namespace PluginHost.Tests.Api;

public sealed class QueryParserTests
{
    private static readonly GraphVersion Graph = SampleGraph.Build();

    public static TheoryData<string, string, string[]> Matches => new()
    {
        { "one comparison", """{"==": {"vitrage_type": "kubernetes.node"}}""", ["gone", "n1", "n2", "n3"] },
        { "several properties in one comparison are an implicit and", """{"==": {"vitrage_type": "kubernetes.node", "state": "Ready"}}""", ["gone", "n1", "n3"] },
        { "and", """{"and": [{"==": {"vitrage_type": "kubernetes.node"}}, {"==": {"vitrage_is_deleted": false}}]}""", ["n1", "n2", "n3"] },
        { "or", """{"or": [{"==": {"name": "node-n1"}}, {"==": {"name": "vm-p2"}}]}""", ["n1", "vm-p2"] },
        { "numbers order numerically", """{">": {"cpu": 8}}""", ["n3"] },
        { "an integer equals the same float", """{"==": {"cpu": 8.0}}""", ["gone", "n1", "n2"] },
        { "strings order by code point; absent never orders", """{"<": {"name": "node-n2"}}""", ["gone", "high-cpu", "n1"] },
        { "!= matches an absent property", """{"!=": {"zone": "az1"}}""", ["gone", "high-cpu", "n3", "prod", "vm-gone", "vm-n1", "vm-n2", "vm-n3", "vm-p1", "vm-p2"] },
        { "lists compare element by element", """{"==": {"roles": ["worker"]}}""", ["gone", "n1", "n2", "n3"] },
        { "booleans equal 1 and 0, as in Python", """{"==": {"vitrage_is_deleted": 1}}""", ["gone", "vm-gone"] },
        { "placeholders can be asked for", """{"==": {"vitrage_is_placeholder": true}}""", ["vm-gone", "vm-n1", "vm-n2", "vm-n3"] },
        { "an empty and matches nothing", """{"and": []}""", [] },
        { "an empty comparison matches nothing", """{"==": {}}""", [] },
        { "a map held as JSON text equals the same map, in any key order", """{"==": {"labels": {"zone": "az1", "tier": "web"}}}""", ["n1", "n2"] },
        { "a list held as JSON text compares element by element", """{"<": {"pod_cidrs": ["10.0.3.0/24"]}}""", ["n1", "n2", "n3"] },
        { "a string against a number never orders (Vitrage: 500)", """{"<": {"state": 5}}""", [] },
        { "as many comparisons as a query may have", NameIn(QueryParser.MaxComparisons), ["n1"] },
        { "an empty comparison counts as one", """{"and": [{"==": {}}, """ + NameIn(QueryParser.MaxComparisons - 1) + "]}", [] },
    };


    [Theory]
    [MemberData(nameof(Matches))]
    public void Parse_ValidQuery_MatchesAsVitrage(string name, string query, string[] expectedIds)
    {
        var predicate = QueryParser.Parse(query);

        Graph.Vertices.Values.Where(predicate.Matches).Select(v => v.Id).Order(StringComparer.Ordinal).ToArray().ShouldBe(expectedIds, name);
    }

    public static TheoryData<string, string> Errors => new()
    {
        { "not json", "not valid JSON" },
        { "[]", "query must be an object with one operator (and, or, ==, !=, <, <=, >, >=), not a list" },
        { "{}", "query is an empty object" },
        { """{"==": {"a": 1}, "or": []}""", "more than one operator ('==', 'or')" },
        { """{"like": {"a": 1}}""", "unknown operator 'like'" },
        { """{"and": {"==": {}}}""", "query.and must be a list of queries, not an object" },
        { """{"==": ["a"]}""", "query.== must be an object of property: value, not a list" },
        { """{"and": ["x"]}""", "query.and[0] must be an object" },
        // Found by a hostile test (stop 39): a 1 MiB body of 45,000 comparisons kept a core busy for
        // half a minute at 5,000 nodes, per request, and went on after the client had gone.
        { NameIn(QueryParser.MaxComparisons + 1), $"query has more than {QueryParser.MaxComparisons} comparisons" },
        { """{"and": [{"==": {"a": 1, "b": 2}}, """ + NameIn(QueryParser.MaxComparisons - 1) + "]}", "more than 1000 comparisons" },
        { string.Concat(Enumerable.Repeat("""{"and": [""", 33)) + """{"==": {"a": 1}}""" + string.Concat(Enumerable.Repeat("]}", 33)), "nests deeper than 32 levels" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Parse_InvalidQuery_ThrowsNamingTheProblem(string query, string expected)
    {
        Should.Throw<QueryException>(() => QueryParser.Parse(query)).Message.ShouldContain(expected);
    }

    // An or of the given number of name comparisons, the first of which matches node n1.
    private static string NameIn(int comparisons) =>
        "{\"or\": [" + string.Join(", ", Enumerable.Range(0, comparisons).Select(i => i == 0 ? "{\"==\": {\"name\": \"node-n1\"}}" : $"{{\"==\": {{\"name\": \"x{i}\"}}}}")) + "]}";
}
