using PluginHost.Contracts;
using PluginHost.Graph;
using static PluginHost.Tests.Graph.GraphScenario;

namespace PluginHost.Tests.Graph;

/// <summary>Published versions are what every reader sees: immutable, cheap, consistent.</summary>
public sealed class GraphVersionTests
{
    private const string Node = "kubernetes.node";

    private static string Key(string id) => EntityVertex.BuildKey(EntityCategories.Resource, Node, id);

    [Fact]
    public void Publish_AfterAChange_CopiesOnlyWhatChangedAndSharesTheRest()
    {
        var g = new GraphScenario();
        g.Report("k8s", Node, "n1", 0, state: "Ready");
        g.Report("k8s", Node, "n2", 0, state: "Ready");
        var first = g.Graph.Publish();

        g.Report("k8s", Node, "n2", 10, state: "NotReady");
        var second = g.Graph.Publish();

        second.Number.ShouldBe(first.Number + 1);
        ReferenceEquals(first.Find(Key("n1")), second.Find(Key("n1"))).ShouldBeTrue();
        first.Find(Key("n2"))!.State.ShouldBe("Ready"); // a reader of the old version never sees it change
        second.Find(Key("n2"))!.State.ShouldBe("NotReady");
    }

    [Fact]
    public void Publish_WithoutChanges_ReturnsTheSameVersion()
    {
        var g = new GraphScenario();
        g.Report("k8s", Node, "n1", 0);
        var first = g.Graph.Publish();

        g.Graph.HasUnpublishedChanges.ShouldBeFalse();
        ReferenceEquals(g.Graph.Publish(), first).ShouldBeTrue();
    }

    [Fact]
    public void Publish_AfterAPurge_ForgetsTheVertexAndItsVitrageId()
    {
        var g = new GraphScenario();
        g.Report("k8s", Node, "n1", 0);
        var id = g.Graph.Publish().Find(Key("n1"))!.VitrageId;
        g.CompleteSnapshot("k8s", 10);
        g.Time.Advance(TimeSpan.FromHours(1));
        g.Graph.Purge(TimeSpan.FromMinutes(10));

        var version = g.Graph.Publish();

        version.Find(Key("n1")).ShouldBeNull();
        version.FindByVitrageId(id).ShouldBeNull();
    }
}
