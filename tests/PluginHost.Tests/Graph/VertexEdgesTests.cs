using PluginHost.Graph;

namespace PluginHost.Tests.Graph;

/// <summary>
/// A vertex's edges behave as the dictionary they replaced: found by key, replaced in place,
/// enumerated in the order added, both while listed and once indexed (more than
/// <see cref="VertexEdges.ListedAtMost"/>).
/// </summary>
public sealed class VertexEdgesTests
{
    private static readonly GraphVertex Hub = Vertex("hub");

    public static TheoryData<string, int> Sizes => new()
    {
        { "one edge", 1 },
        { "as many as are listed", VertexEdges.ListedAtMost },
        { "one more: indexed", VertexEdges.ListedAtMost + 1 },
        { "a cluster's many", 1_000 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Add_Edges_FoundByKeyAndEnumeratedInOrder(string name, int count)
    {
        _ = name;
        var edges = new VertexEdges();
        var added = Edges(count);

        foreach (var edge in added)
        {
            edges[edge.Key] = edge;
        }

        edges.Count.ShouldBe(count);
        edges.ToList().ShouldBe(added);
        foreach (var edge in added)
        {
            edges.TryGetValue(edge.Key, out var found).ShouldBeTrue();
            found.ShouldBeSameAs(edge);
        }

        edges.TryGetValue(new GraphEdgeKey(Hub.Key, "elsewhere", "contains"), out _).ShouldBeFalse();
        edges.TryGetValue(added[0].Key with { RelationshipType = "attached" }, out _).ShouldBeFalse(); // same ends, other label
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Set_ExistingKey_ReplacedWhereItStands(string name, int count)
    {
        _ = name;
        var edges = Filled(count, out var added);
        var first = added[0];
        var replacement = new GraphEdge(first.Source, first.Target, first.RelationshipType, new EdgeOwner("other", first.Source.Key));

        edges[first.Key] = replacement;

        edges.Count.ShouldBe(count);
        edges.First().ShouldBeSameAs(replacement);
        edges.TryGetValue(first.Key, out var found).ShouldBeTrue();
        found.ShouldBeSameAs(replacement);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Remove_OneEdge_OthersKeepTheirOrder(string name, int count)
    {
        _ = name;
        var edges = Filled(count, out var added);
        var removed = added[count / 2];

        edges.Remove(removed.Key).ShouldBeTrue();
        edges.Remove(removed.Key).ShouldBeFalse();

        edges.Count.ShouldBe(count - 1);
        edges.ToList().ShouldBe(added.Where(e => !ReferenceEquals(e, removed)).ToList());
        edges.TryGetValue(removed.Key, out _).ShouldBeFalse();
    }

    public static TheoryData<string, int, bool> Changes => new()
    {
        { "listed, an edge added", 3, true },
        { "listed, an edge removed", 3, false },
        { "listed in full, an edge added (now indexed)", VertexEdges.ListedAtMost, true },
        { "indexed, an edge added", VertexEdges.ListedAtMost + 1, true },
        { "indexed, an edge removed", VertexEdges.ListedAtMost + 1, false },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Enumerate_EdgesChangedMeanwhile_Throws(string name, int count, bool add)
    {
        _ = name;
        var edges = Filled(count, out var added);
        var extra = new GraphEdge(Hub, Vertex("late"), "contains", new EdgeOwner("test", Hub.Key));

        Should.Throw<InvalidOperationException>(() =>
        {
            foreach (var edge in edges)
            {
                if (add)
                {
                    edges[extra.Key] = extra;
                }
                else
                {
                    edges.Remove(added[^1].Key);
                }
            }
        });
    }

    [Fact]
    public void Remove_AllListedEdges_EmptyAndReusable()
    {
        var edges = Filled(3, out var added);

        foreach (var edge in added)
        {
            edges.Remove(edge.Key).ShouldBeTrue();
        }

        edges.Count.ShouldBe(0);
        edges.ShouldBeEmpty();
        edges[added[1].Key] = added[1];
        edges.ShouldHaveSingleItem().ShouldBeSameAs(added[1]);
    }

    private static VertexEdges Filled(int count, out List<GraphEdge> added)
    {
        var edges = new VertexEdges();
        added = Edges(count);
        foreach (var edge in added)
        {
            edges[edge.Key] = edge;
        }

        return edges;
    }

    // The hub's edges to as many vertices, in both directions and with two labels.
    private static List<GraphEdge> Edges(int count) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var other = Vertex($"v{i}");
            var owner = new EdgeOwner("test", Hub.Key);
            return i % 2 == 0
                ? new GraphEdge(Hub, other, "contains", owner)
                : new GraphEdge(other, Hub, i % 3 == 0 ? "attached" : "contains", owner);
        }).ToList();

    private static GraphVertex Vertex(string id) => new($"RESOURCE:test:{id}", $"vitrage-{id}", "RESOURCE", "test", id);
}
