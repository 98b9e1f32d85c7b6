using PluginHost.Graph;
using PluginHost.Tests.Outputs;

namespace PluginHost.Tests.Graph;

public sealed class SubgraphTests
{
    private static readonly GraphVersion Graph = ParallelNodeLinkWriterTests.Cluster(50);

    // Enough nodes (two vertices each) for a selection sorted and linked on the thread pool.
    private static readonly Lazy<GraphVersion> LargeGraph = new(() => ParallelNodeLinkWriterTests.Cluster(Subgraph.ParallelFrom / 2 + 1));

    private static string[] Links(Subgraph graph) =>
        graph.Links.Select(l => $"{graph.Nodes[l.Source].Key} {l.Edge.RelationshipType} {graph.Nodes[l.Target].Key}").ToArray();

    public static TheoryData<string, int, bool> Orders => new()
    {
        { "as the version holds them", 0, false },
        { "reversed", 1, false },
        { "shuffled", 2, false },
        { "as the version holds them, on the thread pool", 0, true },
        { "reversed, on the thread pool", 1, true },
        { "shuffled, on the thread pool", 2, true },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public void Of_VerticesInAnyOrder_SortsNodesByKeyAndLinksBySourceTargetAndLabel(string name, int order, bool large)
    {
        var version = large ? LargeGraph.Value : Graph;
        var nodes = version.Vertices.Values.Count(v => v.Type == "kubernetes.node");
        var live = version.LiveVertices.ToArray();
        var given = order switch
        {
            0 => live,
            1 => live.Reverse().ToArray(),
            _ => live.OrderBy(v => v.VitrageId, StringComparer.Ordinal).ToArray(),
        };

        var graph = Subgraph.Of(given);

        graph.Nodes.Select(v => v.Key).ShouldBe(live.Select(v => v.Key).Order(StringComparer.Ordinal), ignoreOrder: false, customMessage: name);
        graph.Links.Select(l => (l.Source, l.Target, l.Edge.RelationshipType))
            .ShouldBe(graph.Links.Select(l => (l.Source, l.Target, l.Edge.RelationshipType))
                .OrderBy(l => l.Source).ThenBy(l => l.Target).ThenBy(l => l.RelationshipType, StringComparer.Ordinal), name);
        graph.Links.Count.ShouldBe(nodes + nodes + (2 * nodes), name); // comprised, contains, two labels to the next node
        graph.Links.ShouldAllBe(l => graph.Nodes[l.Source].Key == l.Edge.SourceKey && graph.Nodes[l.Target].Key == l.Edge.TargetKey, name);
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
