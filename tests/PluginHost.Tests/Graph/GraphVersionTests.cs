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
    public void Publish_EdgeUnchanged_BothEndsAndLaterVersionsShareItsView()
    {
        var g = new GraphScenario();
        g.Report("k8s", Node, "n1", 0, neighbors: [Instance("vm-1")]);
        var first = g.Graph.Publish();
        g.Report("k8s", Node, "n1", 10, state: "NotReady", neighbors: [Instance("vm-1")]); // the vertex changes, its edge does not
        var second = g.Graph.Publish();

        var node = second.Find(Key("n1"))!;
        var vm = second.Find(EntityVertex.BuildKey(EntityCategories.Resource, KnownEntityTypes.NovaInstance, "vm-1"))!;
        node.Edges.ShouldHaveSingleItem();
        ReferenceEquals(node.Edges[0], vm.Edges[0]).ShouldBeTrue();
        ReferenceEquals(node.Edges[0], first.Find(Key("n1"))!.Edges[0]).ShouldBeTrue();
    }

    [Fact]
    public void Publish_EdgeDeleted_ShowsANewViewWhileTheOldVersionKeepsItsOwn()
    {
        var g = new GraphScenario();
        g.Report("k8s", Node, "n1", 0, neighbors: [Instance("vm-1")]);
        var first = g.Graph.Publish();
        g.Report("k8s", Node, "n1", 10, neighbors: []); // the owner no longer reports the edge
        var second = g.Graph.Publish();

        first.Find(Key("n1"))!.Edges[0].IsDeleted.ShouldBeFalse();
        var deleted = second.Find(Key("n1"))!.Edges[0];
        deleted.IsDeleted.ShouldBeTrue();
        deleted.UpdateTimestamp.ShouldBe(At(10));
        ReferenceEquals(deleted, second.Find(EntityVertex.BuildKey(EntityCategories.Resource, KnownEntityTypes.NovaInstance, "vm-1"))!.Edges[0])
            .ShouldBeTrue();
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

    public static TheoryData<string, bool> LookupModes => new()
    {
        { "made when published (run)", false },
        { "made when first read (snapshot)", true },
    };

    [Theory]
    [MemberData(nameof(LookupModes))]
    public void Publish_Lookups_MadeWhenPublishedOrWhenFirstReadOrByTheNextPublication(string name, bool whenRead)
    {
        var g = new GraphScenario(lookupsWhenRead: whenRead);
        g.Report("k8s", Node, "n1", 0, state: "Ready");
        var first = g.Graph.Publish();
        g.Report("k8s", Node, "n2", 10, state: "Ready");
        var second = g.Graph.Publish();
        g.Report("k8s", Node, "n3", 20, state: "Ready");

        second.LookupsMade.ShouldBe(!whenRead, $"{name}: nothing read the second version's lookups yet");
        first.LookupsMade.ShouldBeTrue($"{name}: the second publication made the first version's");
        second.FindByVitrageId(first.Find(Key("n1"))!.VitrageId)!.Key.ShouldBe(Key("n1"), name);
        second.Resources.Keys(ResourceIndexField.State, "Ready").ShouldBe([Key("n1"), Key("n2")], name);
        second.LookupsMade.ShouldBeTrue($"{name}: reading them made them");
        g.Graph.Publish().FindByVitrageId(second.Find(Key("n2"))!.VitrageId)!.Key.ShouldBe(Key("n2"), name);
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

    public static TheoryData<string> AfterARefresh => new() { "nothing else", "a new state", "a new edge", "a deletion", "a change before it" };

    // A steady snapshot reports most vertices at the version the graph holds: their published view
    // only moves its sample time, in place (no copy of every vertex per snapshot), and anything
    // else that changes a vertex still freezes it again whole.
    [Theory]
    [MemberData(nameof(AfterARefresh))]
    public void Publish_AfterARefresh_ShowsTheNewSampleTimeAndEveryOtherChange(string then)
    {
        var g = new GraphScenario();
        g.Report("k8s", Node, "n1", 0, state: "Ready", neighbors: [Instance("i1")], version: "1");
        var first = g.Graph.Publish();
        var before = first.Find(Key("n1"))!;

        if (then == "a change before it")
        {
            g.Report("k8s", Node, "n1", 10, state: "NotReady", neighbors: [Instance("i1")], version: "2");
        }

        g.Refresh("k8s", Node, "n1", then == "a change before it" ? "2" : "1", 600).ShouldBeTrue();
        g.Graph.HasUnpublishedChanges.ShouldBeTrue();
        switch (then)
        {
            case "a new state":
                g.Report("k8s", Node, "n1", 600, state: "NotReady", neighbors: [Instance("i1")], version: "2");
                break;
            case "a new edge":
                g.Report("k8s", Node, "n2", 600, neighbors: [new EntityNeighbor(new EntityVertex(Node, "n1"), EdgeLabels.Contains, EdgeDirection.FromVertex)]);
                break;
            case "a deletion":
                g.Report("k8s", Node, "n1", 601, action: GraphAction.Delete);
                break;
        }

        var second = g.Graph.Publish();
        var view = second.Find(Key("n1"))!;

        second.Number.ShouldBe(first.Number + 1);
        view.SampleTimestamp.ShouldBe(then == "a deletion" ? At(601) : At(600));
        view.State.ShouldBe(then is "a new state" or "a change before it" ? "NotReady" : "Ready");
        view.IsDeleted.ShouldBe(then == "a deletion");
        view.Edges.Count.ShouldBe(then == "a new edge" ? 2 : 1);
        ReferenceEquals(view, before).ShouldBe(then == "nothing else");

        // The first version's view moved only if the state it shows was the one reported again.
        before.State.ShouldBe("Ready");
        before.SampleTimestamp.ShouldBe(then == "a change before it" ? At(0) : At(600));
    }

    [Fact]
    public void MoveSampleTime_AnOlderTime_NeverMovesBack()
    {
        var g = new GraphScenario();
        g.Report("k8s", Node, "n1", 100, version: "1");
        var view = g.Graph.Publish().Find(Key("n1"))!;

        view.MoveSampleTime(At(50));

        view.SampleTimestamp.ShouldBe(At(100));
    }
}
