using PluginHost.Api;
using PluginHost.Api.Auth;
using PluginHost.Api.Query;
using PluginHost.Api.Views;
using PluginHost.Graph;

namespace PluginHost.Tests.Api;

public sealed class TopologyReaderTests
{
    private static readonly GraphVersion Graph = SampleGraph.Build();
    private static readonly RequestIdentity Admin = new("admin", "admin", ["admin"]);
    private static readonly RequestIdentity TenantP1 = new("alice", "p1", ["member"]);
    private const string WithPlaceholders = """{"==": {"vitrage_is_deleted": false}}""";

    private static string Id(string key) => SampleGraph.Vertex(Graph, key).VitrageId;

    private static TopologyRequest Request(bool tree = false, int? depth = null, string? query = null, string? rootKey = null) =>
        new(tree, depth, query is null ? null : QueryParser.Parse(query), rootKey is null ? null : Id(rootKey));

    private static string[] Ids(Subgraph graph) => graph.Nodes.Select(v => v.Id).Order(StringComparer.Ordinal).ToArray();

    // Identities by name: test data must be public, RequestIdentity is not.
    internal static readonly Dictionary<string, RequestIdentity> Identities = new()
    {
        ["admin"] = Admin,
        ["admin of p1"] = Admin with { ProjectId = "p1" },
        ["member of p1"] = TenantP1,
        ["anonymous"] = RequestIdentity.Anonymous,
    };

    public static TheoryData<string, string, bool, string?, string[]> Views => new()
    {
        { "all tenants: Vitrage's default view, no placeholders or deleted", "admin", true, null, ["high-cpu", "n1", "n2", "n3", "prod", "vm-p1", "vm-p2"] },
        { "a query replaces the default view and can show placeholders", "admin", true, WithPlaceholders,
            ["high-cpu", "n1", "n2", "n3", "prod", "vm-n1", "vm-n2", "vm-n3", "vm-p1", "vm-p2"] },
        { "admin without all_tenants: own project and infrastructure (the deviation)", "admin of p1", false, null,
            ["high-cpu", "n1", "n2", "n3", "prod", "vm-p1"] },
        { "a project member: its own resources and their alarms", "member of p1", false, null, ["high-cpu", "vm-p1"] },
        { "a request without a project sees no project's vertices", "anonymous", false, null, [] },
    };

    [Theory]
    [MemberData(nameof(Views))]
    public void ReadGraph_Identity_ShowsWhatVitrageWould(string name, string identity, bool allTenants, string? query, string[] expected)
    {
        var graph = TopologyReader.ReadGraph(Graph, Request(query: query), TenantScope.For(Identities[identity], allTenants));

        Ids(graph).ShouldBe(expected, name);
    }

    [Fact]
    public void ReadGraph_AllTenants_LinksLiveEdgesByNodeIndex()
    {
        var graph = TopologyReader.ReadGraph(Graph, Request(), TenantScope.Everything);

        var links = graph.Links.Select(l => $"{graph.Nodes[l.Source].Id} {l.Edge.RelationshipType} {graph.Nodes[l.Target].Id}").Order(StringComparer.Ordinal);
        links.ShouldBe(["high-cpu on vm-p1", "prod comprised n1", "prod comprised n2", "prod comprised n3"]);
    }

    [Fact]
    public void TenantScope_AllTenantsWithoutAdminRole_Is403()
    {
        Should.Throw<ApiException>(() => TenantScope.For(TenantP1, allTenants: true)).StatusCode.ShouldBe(403);
    }

    public static TheoryData<string, string, int?, string?, string[]> Neighbourhoods => new()
    {
        { "depth 1 from a placeholder VM: its node", "RESOURCE:nova.instance:vm-n1", 1, WithPlaceholders, ["n1", "vm-n1"] },
        { "depth 2: and the cluster", "RESOURCE:nova.instance:vm-n1", 2, WithPlaceholders, ["n1", "prod", "vm-n1"] },
        { "depth 0: no limit, as in Vitrage", "RESOURCE:nova.instance:vm-n1", 0, WithPlaceholders, ["n1", "n2", "n3", "prod", "vm-n1", "vm-n2", "vm-n3"] },
        { "a root outside the view gives an empty graph", "RESOURCE:nova.instance:vm-n1", 1, null, [] },
    };

    [Theory]
    [MemberData(nameof(Neighbourhoods))]
    public void ReadGraph_RootAndDepth_WalksBothDirectionsThroughTheView(string name, string rootKey, int? depth, string? query, string[] expected)
    {
        var graph = TopologyReader.ReadGraph(Graph, Request(depth: depth, query: query, rootKey: rootKey), TenantScope.Everything);

        Ids(graph).ShouldBe(expected, name);
    }

    [Fact]
    public void ReadGraph_DepthWithoutRoot_Is400()
    {
        Should.Throw<ApiException>(() => TopologyReader.ReadGraph(Graph, Request(depth: 2), TenantScope.Everything)).StatusCode.ShouldBe(400);
    }

    [Fact]
    public void ReadTree_FromTheCluster_ChildrenAlongEdgesWithGraphIndexes()
    {
        var tree = TopologyReader.ReadTree(Graph, Request(tree: true, rootKey: SampleGraph.Cluster), TenantScope.Everything)!;

        tree.Vertex.Id.ShouldBe("prod");
        tree.GraphIndex.ShouldBe(0);
        tree.Children.Select(c => (c.Vertex.Id, c.GraphIndex, c.Children.Count)).ShouldBe([("n1", 1, 0), ("n2", 2, 0), ("n3", 3, 0)]);
    }

    [Fact]
    public void ReadTree_NoRoot_StartsAtTheOnlyCluster()
    {
        TopologyReader.ReadTree(Graph, Request(tree: true), TenantScope.Everything)!.Vertex.Id.ShouldBe("prod");
    }

    public static TheoryData<string, string, string?, string> Trees => new()
    {
        { "a node has no children", "RESOURCE:kubernetes.node:n1", null, "n1()" },
        { "a placeholder VM, when the query shows placeholders", "RESOURCE:nova.instance:vm-n2", WithPlaceholders, "vm-n2(n2())" },
        { "an alarm: the resource it is on", "ALARM:prometheus:high-cpu", null, "high-cpu(vm-p1())" },
    };

    [Theory]
    [MemberData(nameof(Trees))]
    public void ReadTree_AnyRoot_FollowsEdgeDirection(string name, string rootKey, string? query, string expected)
    {
        static string Render(GraphTree node) => $"{node.Vertex.Id}({string.Join(",", node.Children.Select(Render))})";

        Render(TopologyReader.ReadTree(Graph, Request(tree: true, query: query, rootKey: rootKey), TenantScope.Everything)!).ShouldBe(expected, name);
    }

    [Fact]
    public void ReadTree_RootOutsideTheView_IsNoTree()
    {
        TopologyReader.ReadTree(Graph, Request(tree: true, rootKey: "RESOURCE:nova.instance:vm-n1"), TenantScope.Everything).ShouldBeNull();
    }

    [Fact]
    public void ReadTree_UnknownRoot_Is404()
    {
        var request = new TopologyRequest(true, null, null, "no-such-id");

        Should.Throw<ApiException>(() => TopologyReader.ReadTree(Graph, request, TenantScope.Everything)).StatusCode.ShouldBe(404);
    }
}
