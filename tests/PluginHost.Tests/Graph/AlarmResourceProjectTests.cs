using Microsoft.Extensions.Time.Testing;
using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Tests.Graph;

/// <summary>
/// An alarm's <c>vitrage_resource_project_id</c> is the project of the resource its <c>on</c> edge
/// names as that resource is now, however the alarm's own events go (unchanged, refreshed, derived).
/// </summary>
public sealed class AlarmResourceProjectTests
{
    private const string VmKey = "RESOURCE:nova.instance:vm1";
    private const string StaticAlarmKey = "ALARM:static.alarm:a1";
    private const string NodeKey = "RESOURCE:kubernetes.node:n1";
    private const string NodeAlarmKey = "ALARM:kubernetes.node.condition:n1/NodeNotReady";

    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly EntityGraph _graph;
    private int _seconds;

    public AlarmResourceProjectTests()
    {
        _graph = new EntityGraph(_time);
    }

    public static TheoryData<string, string?> StaticAlarmVersions => new()
    {
        { "a versioned alarm, its events unchanged (refreshed)", "1" },
        { "an alarm without a version (applied in full)", null },
    };

    // Found by a review (stop 37): a versioned alarm's unchanged event is only refreshed, which never
    // set its resource details again, so it kept the project its resource had when it was first applied.
    [Theory]
    [MemberData(nameof(StaticAlarmVersions))]
    public void Publish_ResourceReportedWithAProjectAfterItsAlarm_TheAlarmShowsTheResourcesProject(string name, string? version)
    {
        ReportStaticAlarm(version);
        ProjectOf(StaticAlarmKey).ShouldBeNull(name); // on a placeholder: no project yet

        ReportVm("p1");
        ProjectOf(StaticAlarmKey).ShouldBe("p1", name + ", once the VM is reported");

        ReportStaticAlarm(version);
        ReportVm("p2");
        ReportStaticAlarm(version);
        ProjectOf(StaticAlarmKey).ShouldBe("p2", name + ", once the VM moved");

        ReportVm(project: null);
        ProjectOf(StaticAlarmKey).ShouldBeNull(name + ", once the VM has none");
    }

    [Fact]
    public void Publish_OwnerMovesProject_ItsDerivedAlarmShowsTheNewOne()
    {
        ReportNode("p1", version: "1");
        ProjectOf(NodeAlarmKey).ShouldBe("p1");

        ReportNode("p2", version: "2");

        ProjectOf(NodeAlarmKey).ShouldBe("p2");
    }

    [Fact]
    public void Publish_ResourceChangesOtherProperties_TheAlarmIsNotChanged()
    {
        ReportStaticAlarm("1");
        ReportVm("p1");
        var before = _graph.Publish().Find(StaticAlarmKey)!;

        ReportVm("p1", state: "SHUTOFF");

        _graph.Publish().Find(StaticAlarmKey).ShouldBeSameAs(before); // nothing of the alarm changed: the same view
    }

    private string? ProjectOf(string alarmKey) => _graph.Publish().Find(alarmKey)!.Alarm!.ResourceProjectId;

    private DateTimeOffset Next()
    {
        _seconds += 10;
        _time.SetUtcNow(Start.AddSeconds(_seconds));
        return _time.GetUtcNow();
    }

    // What the processor does with an event: a refresh when the graph holds its version, else the full update.
    private void Report(EntityUpdate update, string datasource, string? version)
    {
        var sample = Next();
        if (version is null || !_graph.TryRefresh(update.Vertex.Key, version, datasource, sample))
        {
            _graph.Apply(update, datasource, sample, version: version).ShouldBeTrue();
        }
    }

    private void ReportStaticAlarm(string? version)
    {
        var alarm = new EntityVertex("static.alarm", "a1")
        {
            Category = EntityCategories.Alarm,
            Name = "disk full",
            State = "Active",
            Properties = new Dictionary<string, object?> { ["severity"] = "CRITICAL" },
        };
        var on = new EntityNeighbor(new EntityVertex(KnownEntityTypes.NovaInstance, "vm1"), EdgeLabels.On, EdgeDirection.FromVertex);
        Report(new EntityUpdate(alarm, [on], GraphAction.Update), "static", version);
    }

    private void ReportVm(string? project, string state = "ACTIVE")
    {
        var properties = new Dictionary<string, object?>();
        if (project is not null)
        {
            properties["project_id"] = project;
        }

        Report(new EntityUpdate(new EntityVertex(KnownEntityTypes.NovaInstance, "vm1") { Name = "vm-1", State = state, Properties = properties }, [], GraphAction.Update),
            "nova", version: null);
        _graph.Find(VmKey)!.IsPlaceholder.ShouldBeFalse();
    }

    private void ReportNode(string project, string version)
    {
        var alarm = new EntityNeighbor(new EntityVertex("kubernetes.node.condition", "n1/NodeNotReady")
        {
            Category = EntityCategories.Alarm,
            Name = "NodeNotReady",
            State = "Active",
            Properties = new Dictionary<string, object?> { ["severity"] = "CRITICAL" },
        }, EdgeLabels.On, EdgeDirection.ToVertex);
        var node = new EntityVertex("kubernetes.node", "n1") { Name = "node-1", State = "NotReady", Properties = new Dictionary<string, object?> { ["project_id"] = project } };
        Report(new EntityUpdate(node, [], GraphAction.Update) { Derived = [alarm] }, "kubernetes", version);
        _graph.Find(NodeKey).ShouldNotBeNull();
    }
}
