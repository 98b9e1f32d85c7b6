using PluginHost.Api.Auth;
using PluginHost.Api.Query;
using PluginHost.Api.Views;
using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.Tests.Graph;

namespace PluginHost.Tests.Api;

/// <summary>
/// A resource list read through the version's index must answer exactly what reading every vertex
/// answers: the same vertices, in the same order, for every kind of filter the API takes.
/// </summary>
public sealed class ResourceListIndexTests
{
    private static readonly GraphVersion Graph = SampleGraph.Build();

    private static readonly Dictionary<string, TenantScope> Scopes = new()
    {
        ["all tenants"] = TenantScope.Everything,
        ["member of p1"] = TenantScope.For(new RequestIdentity("alice", "p1", ["member"]), allTenants: false),
        ["admin without all_tenants"] = TenantScope.For(new RequestIdentity("admin", "admin", ["admin"]), allTenants: false),
    };

    private static string VitrageId(string key) => VitrageIdGenerator.FromKey(key);

    public static TheoryData<string, string, string?, string?, string[]> Lists => new()
    {
        { "type filter", "all tenants", "kubernetes.node", null, ["n1", "n2", "n3"] },
        { "type filter: placeholders of the type are left out", "all tenants", KnownEntityTypes.NovaInstance, null, ["vm-p1", "vm-p2"] },
        { "type filter, unknown type", "all tenants", "nova.host", null, [] },
        { "state filter", "all tenants", null, """{"==": {"state": "NotReady"}}""", ["n2"] },
        { "state filter: the deleted node is left out", "all tenants", null, """{"==": {"state": "Ready"}}""", ["n1", "n3"] },
        { "name filter", "all tenants", null, """{"==": {"name": "node-n3"}}""", ["n3"] },
        { "name filter: a deleted vertex's name", "all tenants", null, """{"==": {"name": "node-gone"}}""", [] },
        { "name filter: a placeholder's name", "all tenants", null, """{"==": {"name": "vm-n1"}}""", [] },
        { "type in the query", "all tenants", null, """{"==": {"vitrage_type": "kubernetes"}}""", ["prod"] },
        { "vitrage_id in the query", "all tenants", null, $$$"""{"==": {"vitrage_id": "{{{VitrageId("RESOURCE:kubernetes.node:n2")}}}"}}""", ["n2"] },
        { "vitrage_id of a placeholder", "all tenants", null, $$$"""{"==": {"vitrage_id": "{{{VitrageId("RESOURCE:nova.instance:vm-n1")}}}"}}""", [] },
        { "vitrage_id unknown", "all tenants", null, """{"==": {"vitrage_id": "nope"}}""", [] },
        { "combined: type and state", "all tenants", "kubernetes.node", """{"==": {"state": "Ready"}}""", ["n1", "n3"] },
        { "combined: and of state and name", "all tenants", null, """{"and": [{"==": {"state": "Ready"}}, {"==": {"name": "node-n1"}}]}""", ["n1"] },
        { "combined: two properties in one comparison", "all tenants", null, """{"==": {"state": "Ready", "vitrage_type": "kubernetes.node"}}""", ["n1", "n3"] },
        { "combined: type against a state no vertex of it has", "all tenants", KnownEntityTypes.NovaInstance, """{"==": {"state": "NotReady"}}""", [] },
        { "combined: type against another type in the query", "all tenants", "kubernetes.node", """{"==": {"vitrage_type": "kubernetes"}}""", [] },
        { "or: not narrowed, still answered", "all tenants", null, """{"or": [{"==": {"state": "NotReady"}}, {"==": {"name": "prod"}}]}""", ["n2", "prod"] },
        { "an and with an or inside: narrowed by its other term", "all tenants", "kubernetes.node", """{"and": [{"or": [{"==": {"name": "node-n1"}}, {"==": {"name": "node-n2"}}]}, {"==": {"state": "Ready"}}]}""", ["n1"] },
        { "!=: not narrowed", "all tenants", "kubernetes.node", """{"!=": {"state": "Ready"}}""", ["n2"] },
        { "a number literal never equals a string state", "all tenants", null, """{"==": {"state": 1}}""", [] },
        { "an empty and matches nothing", "all tenants", "kubernetes.node", """{"and": []}""", [] },
        { "a tenant sees its own VM only", "member of p1", KnownEntityTypes.NovaInstance, null, ["vm-p1"] },
        { "a tenant sees no infrastructure", "member of p1", null, """{"==": {"state": "Ready"}}""", [] },
        { "an admin without all_tenants sees what belongs to no project", "admin without all_tenants", null, """{"==": {"state": "Ready"}}""", ["n1", "n3"] },
        { "an admin without all_tenants sees no project's VM", "admin without all_tenants", null, """{"==": {"state": "ACTIVE"}}""", [] },
        { "no filter at all (every vertex read)", "all tenants", null, null, ["n1", "n2", "n3", "prod", "vm-p1", "vm-p2"] },
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public void List_Filter_AnswersWhatAFullScanAnswers(string name, string scope, string? type, string? query, string[] expected)
    {
        var predicate = query is null ? null : QueryParser.Parse(query);

        var indexed = ResourceReader.List(Graph, Scopes[scope], type, predicate);
        var scanned = ResourceReader.ListByScan(Graph, Scopes[scope], type, predicate);

        indexed.Select(v => v.Id).ToArray().ShouldBe(expected, name);
        indexed.Select(v => v.Key).ShouldBe(scanned.Select(v => v.Key), name); // same order
        indexed.Zip(scanned).ShouldAllBe(pair => ReferenceEquals(pair.First, pair.Second), name); // the same vertices, so the same fields
        ResourceReader.Count(Graph, Scopes[scope], type, predicate, VertexProperties.Type).Values.Sum().ShouldBe(expected.Length, name);
    }

    public static TheoryData<string, string?, string, string[], string[]> VersionChanges => new()
    {
        { "state NotReady → Ready: the old version still lists it NotReady", null, """{"==": {"state": "NotReady"}}""", ["n2"], [] },
        { "state NotReady → Ready: the new version lists it Ready", "kubernetes.node", """{"==": {"state": "Ready"}}""", ["n1"], ["n2"] },
        { "type change (another key): the old type no longer lists it", "kubernetes.node", """{"==": {"name": "n1"}}""", ["n1"], [] },
        { "type change (another key): the new type lists it", "kubernetes.pod", """{"==": {"name": "n1"}}""", [], ["n1"] },
    };

    [Theory]
    [MemberData(nameof(VersionChanges))]
    public void List_VertexChangedBetweenVersions_EachVersionAnswersItsOwnState(string name, string? type, string query, string[] before, string[] after)
    {
        var g = new GraphScenario();
        g.Report("k8s", "kubernetes.node", "n1", 0, state: "Ready");
        g.Report("k8s", "kubernetes.node", "n2", 0, state: "NotReady");
        var first = g.Graph.Publish();
        g.Report("k8s", "kubernetes.node", "n2", 10, state: "Ready");
        g.Report("k8s", "kubernetes.node", "n1", 10, action: GraphAction.Delete);
        g.Report("k8s", "kubernetes.pod", "n1", 10, state: "Running");
        var second = g.Graph.Publish();
        var predicate = QueryParser.Parse(query);

        foreach (var (version, expected) in new[] { (first, before), (second, after) })
        {
            var indexed = ResourceReader.List(version, TenantScope.Everything, type, predicate);
            indexed.Select(v => v.Id).ToArray().ShouldBe(expected, $"{name} (version {version.Number})");
            indexed.ShouldBe(ResourceReader.ListByScan(version, TenantScope.Everything, type, predicate), $"{name} (version {version.Number})");
        }
    }
}
