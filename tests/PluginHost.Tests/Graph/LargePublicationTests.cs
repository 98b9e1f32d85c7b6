using PluginHost.Contracts;
using PluginHost.Graph;
using static PluginHost.Tests.Graph.GraphScenario;

namespace PluginHost.Tests.Graph;

/// <summary>
/// A publication of many changes (a first snapshot's, a purge of a whole cluster) freezes its
/// vertices and builds its maps on the thread pool; its version must be the one a publication of
/// few changes makes: every vertex by key and by vitrage_id, each edge's view shared by both ends,
/// the resource index complete.
/// </summary>
public sealed class LargePublicationTests
{
    private const string Node = "kubernetes.node";

    public static TheoryData<string, int, bool> Sizes => new()
    {
        { "a few changes, on the processor's thread", 10, false },
        { "as many as go to the thread pool (two per node)", NextGraphVersion.ParallelFrom / 2, false },
        { "a first snapshot's", 3 * NextGraphVersion.ParallelFrom, false },
        { "a few changes, lookups made when read", 10, true },
        { "a first snapshot's, lookups made when read", 3 * NextGraphVersion.ParallelFrom, true },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Publish_NodesAndTheirVms_EveryVertexFoundAndEveryEdgeViewShared(string name, int nodes, bool lookupsWhenRead)
    {
        var g = new GraphScenario(lookupsWhenRead);
        Report(g, nodes);

        var version = g.Graph.Publish();

        version.Vertices.Count.ShouldBe(2 * nodes, name);
        version.KeysByVitrageId.Count.ShouldBe(2 * nodes, name);
        foreach (var vertex in version.Vertices.Values)
        {
            version.FindByVitrageId(vertex.VitrageId).ShouldBeSameAs(vertex, name);
            vertex.ShouldBeSameAs(g.Graph.Find(vertex.Key)!.Published, name);
            foreach (var edge in vertex.Edges)
            {
                var other = version.Find(edge.SourceKey == vertex.Key ? edge.TargetKey : edge.SourceKey)!;
                other.Edges.ShouldContain(e => ReferenceEquals(e, edge), $"{name}: {edge.SourceKey} → {edge.TargetKey}");
            }
        }

        var nodeKeys = version.Resources.Keys(ResourceIndexField.Type, Node).ToArray();
        nodeKeys.Length.ShouldBe(nodes, name);
        nodeKeys.ShouldBe(nodeKeys.Order(StringComparer.Ordinal), ignoreOrder: false, customMessage: name);
        version.Resources.Keys(ResourceIndexField.Name, "node-7").ShouldBe([EntityVertex.BuildKey(EntityCategories.Resource, Node, "n7")], name);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Publish_AfterAPurgeOfEveryNode_ForgetsThemAndTheirVitrageIds(string name, int nodes, bool lookupsWhenRead)
    {
        var g = new GraphScenario(lookupsWhenRead);
        Report(g, nodes);
        var before = g.Graph.Publish();
        g.CompleteSnapshot("k8s", 10); // no node reported since: all are deleted
        g.Time.Advance(TimeSpan.FromHours(1));
        g.Graph.Purge(TimeSpan.FromMinutes(10));

        var after = g.Graph.Publish();

        var purged = before.Vertices.Values.Where(v => v.Type == Node).ToList();
        purged.Count.ShouldBe(nodes, name);
        purged.ShouldAllBe(v => after.Find(v.Key) == null && after.FindByVitrageId(v.VitrageId) == null, name);
        after.KeysByVitrageId.Count.ShouldBe(after.Vertices.Count, name);
        after.Resources.Keys(ResourceIndexField.Type, Node).ShouldBeEmpty(name);
        before.Resources.Keys(ResourceIndexField.Type, Node).Count.ShouldBe(nodes, $"{name}: the earlier version keeps its index");
    }

    private static void Report(GraphScenario g, int nodes)
    {
        for (var i = 0; i < nodes; i++)
        {
            g.Report("k8s", Node, $"n{i}", 0, state: i % 3 == 0 ? "NotReady" : "Ready", name: $"node-{i}", neighbors: [Instance($"vm-{i}")]);
        }
    }
}
