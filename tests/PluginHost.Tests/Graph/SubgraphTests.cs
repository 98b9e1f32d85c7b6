using PluginHost.Graph;
using PluginHost.Tests.Outputs;

namespace PluginHost.Tests.Graph;

public sealed class SubgraphTests
{
    private static readonly GraphVersion Graph = ParallelNodeLinkWriterTests.Cluster(50);

    private static string[] Links(Subgraph graph) =>
        graph.Links.Select(l => $"{graph.Nodes[l.Source].Key} {l.Edge.RelationshipType} {graph.Nodes[l.Target].Key}").ToArray();

    public static TheoryData<string, int> Orders => new()
    {
        { "as the version holds them", 0 },
        { "reversed", 1 },
        { "shuffled", 2 },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public void Of_VerticesInAnyOrder_SortsNodesByKeyAndLinksBySourceTargetAndLabel(string name, int order)
    {
        var live = Graph.LiveVertices.ToArray();
        var given = order switch
        {
            0 => live,
            1 => live.Reverse().ToArray(),
            _ => live.OrderBy(v => v.VitrageId, StringComparer.Ordinal).ToArray(),
        };

        var graph = Subgraph.Of(given);

        graph.Nodes.Select(v => v.Key).ShouldBe(live.Select(v => v.Key).Order(StringComparer.Ordinal), name);
        graph.Links.Select(l => (l.Source, l.Target, l.Edge.RelationshipType))
            .ShouldBe(graph.Links.Select(l => (l.Source, l.Target, l.Edge.RelationshipType))
                .OrderBy(l => l.Source).ThenBy(l => l.Target).ThenBy(l => l.RelationshipType, StringComparer.Ordinal), name);
        graph.Links.Count.ShouldBe(50 + 50 + (2 * 50), name); // comprised, contains, two labels to the next node
        Links(graph).ShouldContain("RESOURCE:kubernetes.node:n7 attached RESOURCE:kubernetes.node:n8", name);
        Links(graph).ShouldContain("RESOURCE:kubernetes.node:n7 connect RESOURCE:kubernetes.node:n8", name);
    }

    [Fact]
    public void Of_SomeVertices_LinksOnlyEdgesWithBothEndsAmongThem()
    {
        var picked = new[] { "RESOURCE:kubernetes:prod", "RESOURCE:kubernetes.node:n3", "RESOURCE:kubernetes.node:n4" }
            .Select(key => Graph.Find(key)!).ToArray();

        var graph = Subgraph.Of(picked);

        // Ordinal key order: '.' sorts before ':', so the nodes come before their cluster.
        Links(graph).ShouldBe(
        [
            "RESOURCE:kubernetes.node:n3 attached RESOURCE:kubernetes.node:n4",
            "RESOURCE:kubernetes.node:n3 connect RESOURCE:kubernetes.node:n4",
            "RESOURCE:kubernetes:prod comprised RESOURCE:kubernetes.node:n3",
            "RESOURCE:kubernetes:prod comprised RESOURCE:kubernetes.node:n4",
        ]);
    }
}
