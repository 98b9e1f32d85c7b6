using PluginHost.Api.Views;
using PluginHost.Contracts;
using PluginHost.Graph;
using static PluginHost.Tests.Graph.GraphScenario;

namespace PluginHost.Tests.Graph;

/// <summary>
/// The index each version carries is updated from the vertices that changed; after any sequence of
/// changes it must equal the one built from all of the version's vertices, and older versions must
/// keep theirs.
/// </summary>
public sealed class ResourceIndexTests
{
    private const string Node = "kubernetes.node";
    private const string Pod = "kubernetes.pod";

    private static string Key(string type, string id) => EntityVertex.BuildKey(EntityCategories.Resource, type, id);

    // Each case: steps after a first version with n1 (Ready), n2 (NotReady) and n3 (Ready, named "web") under VM
    // placeholders, and an alarm; then the keys the second version's index must give for (field, value).
    private static readonly Dictionary<string, Action<GraphScenario>> Steps = new()
    {
        ["a state change moves the key to its new state"] = g => g.Report("k8s", Node, "n2", 10, state: "Ready"),
        ["the old state no longer lists it"] = g => g.Report("k8s", Node, "n2", 10, state: "Ready"),
        ["a value held by two keys, then by one"] = g => g.Report("k8s", Node, "n1", 10, state: "NotReady"),
        ["a value held by one key, then by two"] = g => g.Report("k8s", Node, "n1", 10, state: "NotReady"),
        ["a name change moves the key to its new name"] = g => g.Report("k8s", Node, "n3", 10, state: "Ready", name: "api"),
        ["a deleted vertex leaves every field"] = g => g.Report("k8s", Node, "n1", 10, action: GraphAction.Delete),
        ["a vertex not in a complete snapshot leaves when it is marked deleted"] = g =>
            {
                g.Report("k8s", Node, "n1", 10, state: "Ready");
                g.CompleteSnapshot("k8s", 10);
            },
        ["a deleted vertex reported again comes back"] = g =>
            {
                g.Report("k8s", Node, "n1", 10, action: GraphAction.Delete);
                g.Report("k8s", Node, "n1", 20, state: "Ready");
            },
        ["a placeholder is not held"] = g => { },
        ["a placeholder reported by its datasource is held"] = g => g.Report("nova", KnownEntityTypes.NovaInstance, "vm-n1", 10, state: "ACTIVE"),
        ["an entity reported under another type is another key: the new type lists it, the old one not"] = g =>
            {
                g.Report("k8s", Node, "n3", 10, action: GraphAction.Delete);
                g.Report("k8s", Pod, "n3", 10, state: "Ready", name: "web");
            },
        ["a purged vertex added again in the same version keeps no stale value"] = g =>
            {
                g.Report("k8s", Node, "n2", 10, action: GraphAction.Delete);
                g.Time.Advance(TimeSpan.FromHours(1));
                g.Graph.Purge(TimeSpan.FromMinutes(1));
                g.Report("k8s", Node, "n2", 4000, state: "Ready");
            },
        ["a purged vertex leaves the index"] = g =>
            {
                g.Report("k8s", Node, "n2", 10, action: GraphAction.Delete);
                g.Time.Advance(TimeSpan.FromHours(1));
                g.Graph.Purge(TimeSpan.FromMinutes(1));
            },
        ["an alarm is not held"] = g => ReportAlarm(g, "a1", 10),
        ["an absent value is not held"] = g => g.Report("k8s", Node, "n1", 10, state: null),
    };

    public static TheoryData<string, string, string, string[]> Changes => new()
    {
        { "a state change moves the key to its new state", "State", "Ready", [Key(Node, "n1"), Key(Node, "n2"), Key(Node, "n3")] },
        { "the old state no longer lists it", "State", "NotReady", [] },
        { "a value held by two keys, then by one", "State", "Ready", [Key(Node, "n3")] },
        { "a value held by one key, then by two", "State", "NotReady", [Key(Node, "n1"), Key(Node, "n2")] },
        { "a name change moves the key to its new name", "Name", "api", [Key(Node, "n3")] },
        { "a deleted vertex leaves every field", "Type", Node, [Key(Node, "n2"), Key(Node, "n3")] },
        { "a vertex not in a complete snapshot leaves when it is marked deleted", "State", "Ready", [Key(Node, "n1")] },
        { "a deleted vertex reported again comes back", "Type", Node, [Key(Node, "n1"), Key(Node, "n2"), Key(Node, "n3")] },
        { "a placeholder is not held", "Type", KnownEntityTypes.NovaInstance, [] },
        { "a placeholder reported by its datasource is held", "Type", KnownEntityTypes.NovaInstance, [Key(KnownEntityTypes.NovaInstance, "vm-n1")] },
        { "an entity reported under another type is another key: the new type lists it, the old one not", "Name", "web", [Key(Pod, "n3")] },
        { "a purged vertex added again in the same version keeps no stale value", "State", "NotReady", [] },
        { "a purged vertex leaves the index", "Type", Node, [Key(Node, "n1"), Key(Node, "n3")] },
        { "an alarm is not held", "State", "Ready", [Key(Node, "n1"), Key(Node, "n3")] },
        { "an absent value is not held", "State", "Ready", [Key(Node, "n3")] },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Publish_AfterChanges_IndexEqualsOneBuiltFromTheVersionsVertices(
        string name, string field, string value, string[] expected)
    {
        var g = First(out var first);
        var firstIndex = Rebuilt(first);

        Steps[name](g);
        var second = g.Graph.Publish();

        second.Resources.Keys(Enum.Parse<ResourceIndexField>(field), value).ToArray().ShouldBe(expected, name);
        Snapshot(second.Resources).ShouldBe(Rebuilt(second), name);
        Snapshot(first.Resources).ShouldBe(firstIndex, $"{name}: the first version keeps its index");
    }

    [Fact]
    public void Holds_EveryVertexOfTheSampleGraph_AgreesWithTheResourceView()
    {
        var graph = PluginHost.Tests.Api.SampleGraph.Build();

        var disagreeing = graph.Vertices.Values.Where(v => ResourceIndex.Holds(v) != VertexFilters.Resource(v)).Select(v => v.Key).ToList();

        disagreeing.ShouldBeEmpty();
        graph.Vertices.Values.Count(ResourceIndex.Holds).ShouldBe(6); // the test sees both kinds
    }

    [Fact]
    public void Publish_WhenOnlySampleTimesMove_SharesTheIndex()
    {
        var g = First(out var first);
        g.Refresh("k8s", Node, "n1", "v1", 10).ShouldBeTrue();

        var second = g.Graph.Publish();

        second.Number.ShouldBe(first.Number + 1);
        ReferenceEquals(second.Resources.Keys(ResourceIndexField.Type, Node), first.Resources.Keys(ResourceIndexField.Type, Node)).ShouldBeTrue();
    }

    private static GraphScenario First(out GraphVersion first)
    {
        var g = new GraphScenario();
        g.Report("k8s", Node, "n1", 0, state: "Ready", neighbors: [Instance("vm-n1")], version: "v1");
        g.Report("k8s", Node, "n2", 0, state: "NotReady", neighbors: [Instance("vm-n2")]);
        g.Report("k8s", Node, "n3", 0, state: "Ready", name: "web", neighbors: [Instance("vm-n3")]);
        ReportAlarm(g, "a0", 0);
        first = g.Graph.Publish();
        return g;
    }

    private static void ReportAlarm(GraphScenario g, string id, int seconds) =>
        g.Graph.Apply(new EntityUpdate(new EntityVertex("prometheus", id) { Category = EntityCategories.Alarm, Name = id, State = "Ready" }, [], GraphAction.Create),
            "prometheus", At(seconds));

    // field → value → keys, as the index holds them.
    private static string[] Snapshot(ResourceIndex index) =>
        Enum.GetValues<ResourceIndexField>()
            .SelectMany(field => index.Values(field).Select(value => $"{field}={value}: {string.Join(",", index.Keys(field, value))}"))
            .Order(StringComparer.Ordinal).ToArray();

    // The same, from every vertex of the version: what the index must equal.
    private static string[] Rebuilt(GraphVersion version)
    {
        var held = version.Vertices.Values.Where(ResourceIndex.Holds).ToList();
        return Enum.GetValues<ResourceIndexField>()
            .SelectMany(field => held
                .Select(v => (Vertex: v, Value: field switch { ResourceIndexField.Type => v.Type, ResourceIndexField.State => v.State, _ => v.Name }))
                .Where(e => e.Value is not null)
                .GroupBy(e => e.Value!, StringComparer.Ordinal)
                .Select(group => $"{field}={group.Key}: {string.Join(",", group.Select(e => e.Vertex.Key).Order(StringComparer.Ordinal))}"))
            .Order(StringComparer.Ordinal).ToArray();
    }
}
