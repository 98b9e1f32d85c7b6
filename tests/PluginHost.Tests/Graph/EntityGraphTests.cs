using PluginHost.Contracts;
using static PluginHost.Tests.Graph.GraphScenario;

namespace PluginHost.Tests.Graph;

public sealed class EntityGraphTests
{
    private const string Node = "kubernetes.node";
    private const string Vm = KnownEntityTypes.NovaInstance;

    /// <summary>Each case: steps on a fresh graph, then what must hold. Keyed by a readable name.</summary>
    private static readonly Dictionary<string, Action<GraphScenario>> Cases = new()
    {
        ["a neighbor not in the graph becomes a placeholder"] = g =>
        {
            g.Report("k8s", Node, "n1", 0, neighbors: [Instance("vm1")]);
            g.Vertex(Vm, "vm1").IsPlaceholder.ShouldBeTrue();
            g.Vertex(Vm, "vm1").DatasourceName.ShouldBeNull();
            g.Edge(Vm, "vm1", Node, "n1", EdgeLabels.Contains).ShouldNotBeNull();
        },
        ["a placeholder reported by its datasource becomes real with the same vitrage_id and its edges"] = g =>
        {
            g.Report("k8s", Node, "n1", 0, neighbors: [Instance("vm1")]);
            var placeholderId = g.Vertex(Vm, "vm1").VitrageId;
            g.Report("nova", Vm, "vm1", 1, state: "ACTIVE", name: "vm-one");
            var vm = g.Vertex(Vm, "vm1");
            vm.IsPlaceholder.ShouldBeFalse();
            vm.VitrageId.ShouldBe(placeholderId);
            vm.Name.ShouldBe("vm-one");
            vm.DatasourceName.ShouldBe("nova");
            g.Edge(Vm, "vm1", Node, "n1", EdgeLabels.Contains)!.IsDeleted.ShouldBeFalse();
        },
        ["a neighbor never overwrites a real vertex"] = g =>
        {
            g.Report("nova", Vm, "vm1", 0, state: "ACTIVE", name: "vm-one");
            g.Report("k8s", Node, "n1", 5, neighbors: [Instance("vm1", name: "other-name")]);
            var vm = g.Vertex(Vm, "vm1");
            vm.IsPlaceholder.ShouldBeFalse();
            vm.Name.ShouldBe("vm-one");
            vm.State.ShouldBe("ACTIVE");
            vm.DatasourceName.ShouldBe("nova");
        },
        ["an older sample never overwrites a newer one"] = g =>
        {
            g.Report("k8s", Node, "n1", 10, state: "Ready").ShouldBeTrue();
            g.Report("k8s", Node, "n1", 5, state: "NotReady").ShouldBeFalse();
            g.Vertex(Node, "n1").State.ShouldBe("Ready");
            g.Vertex(Node, "n1").SampleTimestamp.ShouldBe(At(10));
        },
        ["a sample as new as the graph's is applied"] = g =>
        {
            g.Report("k8s", Node, "n1", 10, state: "Ready");
            g.Report("k8s", Node, "n1", 10, state: "NotReady").ShouldBeTrue();
            g.Vertex(Node, "n1").State.ShouldBe("NotReady");
        },
        ["a complete snapshot deletes what it did not report"] = g =>
        {
            g.Report("k8s", Node, "n1", 0);
            g.Report("k8s", Node, "n2", 0);
            g.CompleteSnapshot("k8s", 0).ShouldBe(0);
            g.Report("k8s", Node, "n1", 10);
            g.CompleteSnapshot("k8s", 10).ShouldBe(1);
            g.Vertex(Node, "n1").IsDeleted.ShouldBeFalse();
            g.Vertex(Node, "n2").IsDeleted.ShouldBeTrue();
        },
        ["a snapshot that did not complete deletes nothing"] = g =>
        {
            g.Report("k8s", Node, "n1", 0);
            g.Report("k8s", Node, "n2", 0);
            g.CompleteSnapshot("k8s", 0);
            g.Report("k8s", Node, "n1", 10); // the second snapshot fails after n1: no completion
            g.Vertex(Node, "n2").IsDeleted.ShouldBeFalse();
            g.Graph.LiveVertices.Count().ShouldBe(2);
        },
        ["a snapshot deletes only its own datasource's vertices"] = g =>
        {
            g.Report("nova", Vm, "vm1", 0, state: "ACTIVE");
            g.Report("k8s", Node, "n1", 10);
            g.CompleteSnapshot("k8s", 10);
            g.Vertex(Vm, "vm1").IsDeleted.ShouldBeFalse();
        },
        ["a deleted vertex takes its edges and orphan placeholders with it"] = g =>
        {
            g.Report("k8s", Node, "n1", 0, neighbors: [Instance("vm1")]);
            g.Report("k8s", Node, "n2", 0, neighbors: [Instance("vm2")]);
            g.CompleteSnapshot("k8s", 0);
            g.Report("k8s", Node, "n1", 10, neighbors: [Instance("vm1")]);
            g.CompleteSnapshot("k8s", 10);
            g.Edge(Vm, "vm2", Node, "n2", EdgeLabels.Contains)!.IsDeleted.ShouldBeTrue();
            g.Vertex(Vm, "vm2").IsDeleted.ShouldBeTrue();
            g.Vertex(Vm, "vm1").IsDeleted.ShouldBeFalse();
        },
        ["a placeholder other vertices still link to survives"] = g =>
        {
            g.Report("k8s", Node, "n1", 0, neighbors: [Instance("vm1")]);
            g.Report("static", "switch", "s1", 0, neighbors: [Instance("vm1", EdgeLabels.Attached, EdgeDirection.FromVertex)]);
            g.CompleteSnapshot("k8s", 0);
            g.CompleteSnapshot("k8s", 10);
            g.Vertex(Node, "n1").IsDeleted.ShouldBeTrue();
            g.Vertex(Vm, "vm1").IsDeleted.ShouldBeFalse();
        },
        ["an edge the vertex no longer reports is deleted"] = g =>
        {
            g.Report("k8s", "kubernetes", "c1", 0, neighbors: [Instance("vm1", EdgeLabels.Comprised, EdgeDirection.FromVertex), Instance("vm2", EdgeLabels.Comprised, EdgeDirection.FromVertex)]);
            g.Report("k8s", "kubernetes", "c1", 10, neighbors: [Instance("vm1", EdgeLabels.Comprised, EdgeDirection.FromVertex)]);
            g.Edge("kubernetes", "c1", Vm, "vm1", EdgeLabels.Comprised)!.IsDeleted.ShouldBeFalse();
            g.Edge("kubernetes", "c1", Vm, "vm2", EdgeLabels.Comprised)!.IsDeleted.ShouldBeTrue();
            g.Vertex(Vm, "vm2").IsDeleted.ShouldBeTrue();
        },
        ["a deleted vertex reported again comes back"] = g =>
        {
            g.Report("k8s", Node, "n1", 0, neighbors: [Instance("vm1")]);
            g.CompleteSnapshot("k8s", 5);
            g.Vertex(Node, "n1").IsDeleted.ShouldBeTrue();
            g.Report("k8s", Node, "n1", 10, neighbors: [Instance("vm1")]);
            g.Vertex(Node, "n1").IsDeleted.ShouldBeFalse();
            g.Vertex(Vm, "vm1").IsDeleted.ShouldBeFalse();
            g.Edge(Vm, "vm1", Node, "n1", EdgeLabels.Contains)!.IsDeleted.ShouldBeFalse();
        },
        ["a delete action marks the vertex deleted"] = g =>
        {
            g.Report("static", "switch", "s1", 0);
            g.Report("static", "switch", "s1", 5, action: GraphAction.Delete);
            g.Vertex("switch", "s1").IsDeleted.ShouldBeTrue();
        },
        ["deleted vertices are purged only after the retention"] = g =>
        {
            g.Report("k8s", Node, "n1", 0, neighbors: [Instance("vm1")]);
            g.CompleteSnapshot("k8s", 5);
            g.Time.Advance(TimeSpan.FromSeconds(59));
            g.Graph.Purge(TimeSpan.FromSeconds(60)).ShouldBe(0);
            g.Time.Advance(TimeSpan.FromSeconds(1));
            g.Graph.Purge(TimeSpan.FromSeconds(60)).ShouldBe(2);
            g.Graph.Vertices.ShouldBeEmpty();
        },
        ["a vertex linked to itself is purged with its edge"] = g =>
        {
            g.Report("static", "switch", "s1", 0, neighbors: [new(new EntityVertex("switch", "s1"), EdgeLabels.Attached, EdgeDirection.FromVertex)]);
            g.Vertex("switch", "s1").Edges.ShouldHaveSingleItem().Target.ShouldBeSameAs(g.Vertex("switch", "s1"));
            g.Report("static", "switch", "s1", 5, action: GraphAction.Delete);
            g.Time.Advance(TimeSpan.FromSeconds(60));
            g.Graph.Purge(TimeSpan.FromSeconds(60)).ShouldBe(1);
            g.Graph.Vertices.ShouldBeEmpty();
        },
        ["a reference links a real vertex without changing it"] = g =>
        {
            g.Report("nova", Vm, "vm1", 0, state: "ACTIVE", name: "vm-one");
            g.Reference("static", Vm, "vm1", 5, neighbors: [new(new EntityVertex("switch", "s1"), EdgeLabels.Attached, EdgeDirection.ToVertex)]);
            var vm = g.Vertex(Vm, "vm1");
            vm.Name.ShouldBe("vm-one");
            vm.DatasourceName.ShouldBe("nova");
            vm.SampleTimestamp.ShouldBe(At(0));
            g.Edge("switch", "s1", Vm, "vm1", EdgeLabels.Attached)!.IsDeleted.ShouldBeFalse();
        },
        ["a reference to an entity not in the graph makes a placeholder"] = g =>
        {
            g.Reference("static", "nova.host", "h1", 0, neighbors: [Instance("vm1", EdgeLabels.Contains, EdgeDirection.FromVertex)]);
            g.Vertex("nova.host", "h1").IsPlaceholder.ShouldBeTrue();
            g.Vertex("nova.host", "h1").Name.ShouldBe("from-static");
            g.Report("nova", "nova.host", "h1", 5, name: "compute-1");
            g.Vertex("nova.host", "h1").IsPlaceholder.ShouldBeFalse();
            g.Vertex("nova.host", "h1").Name.ShouldBe("compute-1");
            g.Edge("nova.host", "h1", Vm, "vm1", EdgeLabels.Contains)!.IsDeleted.ShouldBeFalse();
        },
        ["a complete snapshot deletes the edges its references no longer report"] = g =>
        {
            g.Reference("static", "nova.host", "h1", 0, neighbors: [Instance("vm1", EdgeLabels.Contains, EdgeDirection.FromVertex)]);
            g.CompleteSnapshot("static", 0);
            g.CompleteSnapshot("static", 10);
            g.Edge("nova.host", "h1", Vm, "vm1", EdgeLabels.Contains)!.IsDeleted.ShouldBeTrue();
            g.Vertex("nova.host", "h1").IsDeleted.ShouldBeTrue();
            g.Vertex(Vm, "vm1").IsDeleted.ShouldBeTrue();
        },
        ["a deleted reference takes only its own edges"] = g =>
        {
            g.Report("k8s", Node, "n1", 0, neighbors: [Instance("vm1")]);
            g.Reference("static", Vm, "vm1", 0, neighbors: [new(new EntityVertex("switch", "s1"), EdgeLabels.Attached, EdgeDirection.ToVertex)]);
            g.Reference("static", Vm, "vm1", 5, action: GraphAction.Delete);
            g.Edge("switch", "s1", Vm, "vm1", EdgeLabels.Attached)!.IsDeleted.ShouldBeTrue();
            g.Edge(Vm, "vm1", Node, "n1", EdgeLabels.Contains)!.IsDeleted.ShouldBeFalse();
            g.Vertex(Vm, "vm1").IsDeleted.ShouldBeFalse();
        },
        ["two datasources own their own edges on one vertex"] = g =>
        {
            g.Report("k8s", Node, "n1", 0, neighbors: [Instance("vm1")]);
            g.Reference("static", Node, "n1", 0, neighbors: [new(new EntityVertex("switch", "s1"), EdgeLabels.Attached, EdgeDirection.ToVertex)]);
            g.Report("k8s", Node, "n1", 10, neighbors: [Instance("vm1")]);
            g.Edge("switch", "s1", Node, "n1", EdgeLabels.Attached)!.IsDeleted.ShouldBeFalse();
        },
        ["an event with the version the graph holds only refreshes sample times, so the snapshot keeps it all"] = g =>
        {
            g.Report("k8s", Node, "n1", 0, state: "Ready", neighbors: [Instance("vm1")], version: "7");
            g.Refresh("k8s", Node, "n1", "7", 10).ShouldBeTrue();
            g.CompleteSnapshot("k8s", 10).ShouldBe(0);
            g.Vertex(Node, "n1").SampleTimestamp.ShouldBe(At(10));
            g.Vertex(Node, "n1").UpdateTimestamp.ShouldBe(At(0));
            g.Edge(Vm, "vm1", Node, "n1", EdgeLabels.Contains)!.IsDeleted.ShouldBeFalse();
        },
        ["an event with another version, datasource or a deleted vertex needs the full update"] = g =>
        {
            g.Report("k8s", Node, "n1", 0, version: "7");
            g.Refresh("k8s", Node, "n1", "8", 10).ShouldBeFalse();
            g.Refresh("other", Node, "n1", "7", 10).ShouldBeFalse();
            g.Refresh("k8s", Node, "n2", "7", 10).ShouldBeFalse();
            g.Vertex(Node, "n1").SampleTimestamp.ShouldBe(At(0));
            g.CompleteSnapshot("k8s", 20);
            g.Refresh("k8s", Node, "n1", "7", 30).ShouldBeFalse();
        },
        ["an edge another datasource takes over makes its owner's next event a full update, which takes it back"] = g =>
        {
            g.Report("k8s", Node, "n1", 0, neighbors: [Instance("vm1")], version: "7");
            g.Reference("static", Node, "n1", 10, neighbors: [Instance("vm1")]);
            g.Refresh("k8s", Node, "n1", "7", 20).ShouldBeFalse();
            g.Report("k8s", Node, "n1", 20, neighbors: [Instance("vm1")], version: "7");
            g.Edge(Vm, "vm1", Node, "n1", EdgeLabels.Contains)!.Owner.DatasourceName.ShouldBe("k8s");
            g.Refresh("k8s", Node, "n1", "7", 30).ShouldBeTrue();
        },
        ["an edge another datasource took over and dropped comes back with its owner's next event"] = g =>
        {
            g.Report("k8s", Node, "n1", 0, neighbors: [Instance("vm1")], version: "7");
            g.Reference("static", Node, "n1", 10, neighbors: [Instance("vm1")]);
            g.Reference("static", Node, "n1", 20);
            g.Edge(Vm, "vm1", Node, "n1", EdgeLabels.Contains)!.IsDeleted.ShouldBeTrue();
            g.Refresh("k8s", Node, "n1", "7", 30).ShouldBeFalse();
            g.Report("k8s", Node, "n1", 30, neighbors: [Instance("vm1")], version: "7");
            g.Edge(Vm, "vm1", Node, "n1", EdgeLabels.Contains)!.IsDeleted.ShouldBeFalse();
        },
        ["an edge deleted with its other end makes its owner's next event a full update"] = g =>
        {
            g.Report("k8s", Node, "n1", 0, neighbors: [Instance("vm1")], version: "7");
            g.Report("nova", Vm, "vm1", 10);
            g.Report("nova", Vm, "vm1", 20, action: GraphAction.Delete);
            g.Edge(Vm, "vm1", Node, "n1", EdgeLabels.Contains)!.IsDeleted.ShouldBeTrue();
            g.Refresh("k8s", Node, "n1", "7", 30).ShouldBeFalse();
        },
        ["an update with the version the graph holds keeps the properties it has"] = g =>
        {
            g.Report("k8s", Node, "n1", 0, state: "Ready", version: "7");
            g.Report("k8s", Node, "n1", 10, state: "ignored", version: "7");
            g.Vertex(Node, "n1").State.ShouldBe("Ready");
            g.Report("k8s", Node, "n1", 20, state: "NotReady", version: "8");
            g.Vertex(Node, "n1").State.ShouldBe("NotReady");
        },
        ["a new edge is stamped when it is created, as Vitrage does"] = g =>
        {
            g.Report("k8s", Node, "n1", 42, neighbors: [Instance("vm1")]);
            g.Edge(Vm, "vm1", Node, "n1", EdgeLabels.Contains)!.UpdateTimestamp.ShouldBe(At(42));
            g.Graph.Publish().Find(EntityVertex.BuildKey(EntityCategories.Resource, Node, "n1"))!.Edges.Single().UpdateTimestamp.ShouldBe(At(42));
        },
        ["the same key always gets the same vitrage_id"] = g =>
        {
            g.Report("k8s", Node, "n1", 0);
            var first = g.Vertex(Node, "n1").VitrageId;
            var other = new GraphScenario();
            other.Report("elsewhere", Node, "n1", 99);
            other.Vertex(Node, "n1").VitrageId.ShouldBe(first);
            Guid.TryParse(first, out _).ShouldBeTrue();
        },
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Apply_GraphRule_Holds(string rule) => Cases[rule](new GraphScenario());

    [Fact]
    public void Purge_EdgeDeletedBeyondRetention_RemovesItFromBothEndsAndKeepsTheOthers()
    {
        var g = new GraphScenario();
        g.Report("nova", Vm, "vm-1", 0);
        g.Report("nova", Vm, "vm-2", 0);
        g.Report("k8s", Node, "n1", 0, neighbors: [Instance("vm-1"), Instance("vm-2")]);
        g.Report("k8s", Node, "n1", 10, neighbors: [Instance("vm-2")]); // the edge from vm-1 is deleted at 10
        g.Report("k8s", Node, "n2", 0, neighbors: [Instance("vm-2")]);
        g.Report("k8s", Node, "n2", 80, neighbors: []); // deleted at 80: within the retention at 100
        g.Time.SetUtcNow(At(100));

        g.Graph.Purge(TimeSpan.FromSeconds(60)).ShouldBe(0); // no vertex is old enough

        g.Edge(Vm, "vm-1", Node, "n1", EdgeLabels.Contains).ShouldBeNull();
        g.Vertex(Vm, "vm-1").Edges.ShouldBeEmpty();
        g.Vertex(Node, "n1").Edges.Count.ShouldBe(1);
        g.Edge(Vm, "vm-2", Node, "n1", EdgeLabels.Contains)!.IsDeleted.ShouldBeFalse();
        g.Edge(Vm, "vm-2", Node, "n2", EdgeLabels.Contains)!.IsDeleted.ShouldBeTrue();
        g.Vertex(Vm, "vm-2").Edges.Count.ShouldBe(2);
    }
}
