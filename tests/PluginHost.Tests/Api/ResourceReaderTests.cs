using PluginHost.Api.Auth;
using PluginHost.Api.Query;
using PluginHost.Api.Views;
using PluginHost.Graph;

namespace PluginHost.Tests.Api;

public sealed class ResourceReaderTests
{
    private static readonly GraphVersion Graph = SampleGraph.Build();
    private static readonly RequestIdentity TenantP1 = new("alice", "p1", ["member"]);

    public static TheoryData<string, string?, string?, string[]> Lists => new()
    {
        { "live real resources, no alarms", null, null, ["n1", "n2", "n3", "prod", "vm-p1", "vm-p2"] },
        { "by type", "kubernetes.node", null, ["n1", "n2", "n3"] },
        { "a query narrows the view", null, """{"==": {"state": "NotReady"}}""", ["n2"] },
        { "a query cannot widen it to placeholders (Vitrage ands it)", null, """{"==": {"vitrage_is_placeholder": true}}""", [] },
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public void List_AllTenants_FiltersLikeVitrage(string name, string? type, string? query, string[] expected)
    {
        var resources = ResourceReader.List(Graph, TenantScope.Everything, type, query is null ? null : QueryParser.Parse(query));

        resources.Select(r => r.Id).ToArray().ShouldBe(expected, name);
    }

    [Fact]
    public void Count_GroupByState_CountsEachValueAndAbsentAsNull()
    {
        var counts = ResourceReader.Count(Graph, TenantScope.Everything, null, null, "state");

        counts.ShouldBe(new SortedDictionary<string, int>(StringComparer.Ordinal) { ["null"] = 1, ["ACTIVE"] = 2, ["NotReady"] = 1, ["Ready"] = 2 });
    }

    public static TheoryData<string, string, string, bool> Shows => new()
    {
        { "an admin sees a placeholder", "admin", "RESOURCE:nova.instance:vm-n1", true },
        { "a member sees its project's VM", "member of p1", "RESOURCE:nova.instance:vm-p1", true },
        { "a member does not see another project's VM", "member of p1", "RESOURCE:nova.instance:vm-p2", false },
        { "a member does not see infrastructure", "member of p1", SampleGraph.Cluster, false },
        { "an alarm is not a resource", "admin", "ALARM:prometheus:high-cpu", false },
    };

    [Theory]
    [MemberData(nameof(Shows))]
    public void Show_Identity_AppliesVitrageTenancy(string name, string identity, string key, bool visible)
    {
        var vitrageId = SampleGraph.Vertex(Graph, key).VitrageId;

        (ResourceReader.Show(Graph, vitrageId, TenantScope.ForShow(TopologyReaderTests.Identities[identity])) is not null).ShouldBe(visible, name);
    }

    [Fact]
    public void AlarmWrite_AnAlarm_NamesTheResourceItIsOn()
    {
        var alarm = AlarmReader.Show(Graph, SampleGraph.Vertex(Graph, "ALARM:prometheus:high-cpu").VitrageId, TenantScope.Everything)!;
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            AlarmReader.Write(writer, alarm, Graph);
        }

        using var json = System.Text.Json.JsonDocument.Parse(buffer.ToArray());
        var vm = SampleGraph.Vertex(Graph, "RESOURCE:nova.instance:vm-p1");
        json.RootElement.GetProperty("vitrage_resource_id").GetString().ShouldBe(vm.VitrageId);
        json.RootElement.GetProperty("vitrage_resource_type").GetString().ShouldBe("nova.instance");
        json.RootElement.GetProperty("vitrage_resource_project_id").GetString().ShouldBe("p1");
        json.RootElement.GetProperty("vitrage_operational_severity").GetString().ShouldBe("CRITICAL");
    }

    [Fact]
    public void AlarmList_ProjectMember_SeesTheAlarmOnItsVm()
    {
        var alarms = AlarmReader.List(Graph, TenantScope.For(TenantP1, allTenants: false), resourceVitrageId: null, AlarmPage.First(10));

        alarms.Select(a => a.Name).ShouldBe(["HighCpu"]);
        AlarmReader.Count(Graph, TenantScope.Everything)["CRITICAL"].ShouldBe(1);
        AlarmReader.List(Graph, TenantScope.Everything, SampleGraph.Vertex(Graph, "RESOURCE:nova.instance:vm-p2").VitrageId, AlarmPage.First(10)).ShouldBeEmpty();
    }
}
