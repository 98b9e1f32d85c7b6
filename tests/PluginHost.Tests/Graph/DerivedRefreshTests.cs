using System.Globalization;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Tests.Graph;

/// <summary>
/// Derived vertices and alarms' <c>on</c> edges changed by other writers (found by a review at stop
/// 38): each case feeds the same events to a graph that refreshes events whose version it holds
/// (the processor's path) and to one that applies every event in full (no version); the two must
/// be equal.
/// </summary>
public sealed class DerivedRefreshTests
{
    private const string NodeKey = "RESOURCE:kubernetes.node:n1";
    private const string AlarmKey = "ALARM:kubernetes.node.condition:n1/NodeNotReady";
    private const string StaticAlarmKey = "ALARM:static.alarm:a1";

    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly EntityGraph _subject;
    private readonly EntityGraph _reference;
    private int _seconds;

    public DerivedRefreshTests()
    {
        _subject = new EntityGraph(_time);
        _reference = new EntityGraph(_time);
    }

    // a reference (a datasource that may only link the alarm's type) takes over the derived
    // alarm's edge to its owner, then drops it. ForgetOwnersVersion forgets the alarm's version (which
    // no refresh reads), not the owner's: the owner's unchanged event is refreshed and the alarm stays
    // without its `on` edge; the full update brings it back.
    [Fact]
    public void Refresh_ReferenceTookOverAndDroppedTheDerivedAlarmsEdge_EqualsTheFullUpdate()
    {
        ReportNode("7");
        var link = new EntityUpdate(new EntityVertex("kubernetes.node.condition", "n1/NodeNotReady") { Category = EntityCategories.Alarm },
            [new EntityNeighbor(new EntityVertex("kubernetes.node", "n1"), EdgeLabels.On, EdgeDirection.FromVertex)], GraphAction.Update);
        Both((g, t) => g.Apply(link, "linker", t, reference: true));
        Both((g, t) => g.Apply(link with { Action = GraphAction.Delete }, "linker", t, reference: true));

        ReportNode("7");

        ShouldBeEqual();
    }

    // a reference from the owner's own datasource shares the EdgeOwner (datasource, alarm key)
    // of the derived edge: the reference's update drops that edge as its own "gone" one, with no
    // version forgotten; the owner's unchanged event is refreshed and the alarm stays off its node.
    [Fact]
    public void Refresh_SameDatasourceReferenceOfTheDerivedAlarm_EqualsTheFullUpdate()
    {
        ReportNode("7");
        var link = new EntityUpdate(new EntityVertex("kubernetes.node.condition", "n1/NodeNotReady") { Category = EntityCategories.Alarm },
            [new EntityNeighbor(new EntityVertex(KnownEntityTypes.NovaInstance, "vm1"), EdgeLabels.On, EdgeDirection.FromVertex)], GraphAction.Update);
        Both((g, t) => g.Apply(link, "kubernetes", t, reference: true));

        ReportNode("7");

        ShouldBeEqual();
    }

    // Checked, fine with the fixes: a vertex another one derives (a pod the node derives) is also
    // reported by its own events, with a version, and derives an alarm itself; the node re-describes
    // it, then stops deriving it (which ends it and its alarm).
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Refresh_DerivedVertexThatDerivesToo_EqualsTheFullUpdate(bool nodeStopsDerivingIt)
    {
        ReportOuter(derivesPod: true, "1");
        ReportPod("p7");
        ReportOuter(derivesPod: true, "1");
        ReportPod("p7");
        if (nodeStopsDerivingIt)
        {
            ReportOuter(derivesPod: false, "2");
        }

        ReportPod("p7");
        ReportOuter(derivesPod: !nodeStopsDerivingIt, nodeStopsDerivingIt ? "2" : "1");

        ShouldBeEqual();
    }

    private void ReportOuter(bool derivesPod, string version)
    {
        EntityNeighbor[] derived = derivesPod
            ? [new EntityNeighbor(new EntityVertex("kubernetes.pod", "pod1") { Name = "from-node", State = "Unknown" }, EdgeLabels.Contains, EdgeDirection.FromVertex)]
            : [];
        Report(new EntityUpdate(new EntityVertex("kubernetes.node", "n2") { Name = "n2", State = "Ready" }, [], GraphAction.Update) { Derived = derived },
            "kubernetes", version);
    }

    private void ReportPod(string version)
    {
        var alarm = new EntityNeighbor(new EntityVertex("kubernetes.pod.condition", "pod1/Crash")
        {
            Category = EntityCategories.Alarm,
            Name = "Crash",
            State = "Active",
            Properties = new Dictionary<string, object?> { ["severity"] = "CRITICAL" },
        }, EdgeLabels.On, EdgeDirection.ToVertex);
        var pod = new EntityVertex("kubernetes.pod", "pod1") { Name = "pod-1", State = "Running", Properties = new Dictionary<string, object?> { ["project_id"] = "p1" } };
        Report(new EntityUpdate(pod, [new EntityNeighbor(new EntityVertex(KnownEntityTypes.NovaInstance, "vm9"), EdgeLabels.Contains, EdgeDirection.ToVertex)],
            GraphAction.Update) { Derived = [alarm] }, "kubernetes", version);
    }

    // an alarm's details name its first live `on` edge, whoever owns it. An `on` edge from the
    // alarm that another vertex reports (here a host) comes and goes without the alarm's version
    // being forgotten: its unchanged event is refreshed and keeps the details it had.
    [Fact]
    public void Refresh_AnotherVertexReportsAnOnEdgeFromTheAlarm_EqualsTheFullUpdate()
    {
        ReportStaticAlarm("1", on: null);
        ReportHost(alarmOnIt: true);

        ReportStaticAlarm("1", on: null);

        ShouldBeEqual();
    }

    // B2, derived: the host's `on` edge came first, the node's derived alarm names the host; the
    // host drops its edge, the node's unchanged event is refreshed and the alarm still names the host.
    [Fact]
    public void Refresh_DerivedAlarmsFirstOnEdgeIsAnothersAndGoes_EqualsTheFullUpdate()
    {
        ReportHost(alarmOnIt: true, alarmKey: ("kubernetes.node.condition", "n1/NodeNotReady"));
        ReportNode("7");
        ReportHost(alarmOnIt: false);

        ReportNode("7");

        ShouldBeEqual();
    }

    // the same datasource reports the alarm itself (its own version) and derives it from the
    // node. The node's full update re-describes the alarm and replaces its edges (the same EdgeOwner)
    // but leaves the alarm's own version: its next unchanged event is refreshed and keeps the node's description.
    [Fact]
    public void Refresh_SameDatasourceReportsTheDerivedAlarmItself_EqualsTheFullUpdate()
    {
        ReportNode("7");
        ReportAlarmDirectly("kubernetes", "a1");
        ReportNode("7"); // its version was forgotten: the full update derives the alarm again

        ReportAlarmDirectly("kubernetes", "a1");

        ShouldBeEqual();
    }

    // the alarm change told to the outputs names, as the resource, the first `on` edge even if
    // it is deleted, while the alarm's own details name the live one.
    [Fact]
    public void TakeChanges_AlarmReportedAgainOnAnotherResource_TheChangeNamesTheResourceOfItsDetails()
    {
        ReportStaticAlarm(null, on: "vm1");
        Both((g, t) => g.Apply(new EntityUpdate(new EntityVertex("static.alarm", "a1") { Category = EntityCategories.Alarm }, [], GraphAction.Delete), "static", t));
        _subject.TakeChanges();

        ReportStaticAlarm(null, on: "vm2");

        var added = _subject.TakeChanges().Where(c => c.IsAlarmStartOrEnd).ShouldHaveSingleItem();
        added.Kind.ShouldBe(GraphChangeKind.Added);
        added.Resource!.VitrageId.ShouldBe(added.Alarm!.Alarm!.ResourceVitrageId, $"resource {added.Resource.Key}");
    }

    // The same sample time for both graphs.
    private void Both(Action<EntityGraph, DateTimeOffset> apply)
    {
        var sample = Next();
        apply(_subject, sample);
        apply(_reference, sample);
    }

    private DateTimeOffset Next()
    {
        _seconds += 10;
        _time.SetUtcNow(Start.AddSeconds(_seconds));
        return _time.GetUtcNow();
    }

    // The subject as the processor does it (a refresh when it holds the version); the reference in full.
    private void Report(EntityUpdate update, string datasource, string? version)
    {
        var sample = Next();
        if (version is null || !_subject.TryRefresh(update.Vertex.Key, version, datasource, sample))
        {
            _subject.Apply(update, datasource, sample, version: version);
        }

        _reference.Apply(update, datasource, sample);
    }

    private void ReportNode(string? version)
    {
        var alarm = new EntityNeighbor(new EntityVertex("kubernetes.node.condition", "n1/NodeNotReady")
        {
            Category = EntityCategories.Alarm,
            Name = "NodeNotReady",
            State = "Active",
            Properties = new Dictionary<string, object?> { ["severity"] = "CRITICAL" },
        }, EdgeLabels.On, EdgeDirection.ToVertex);
        var node = new EntityVertex("kubernetes.node", "n1") { Name = "node-1", State = "NotReady", Properties = new Dictionary<string, object?> { ["project_id"] = "p1" } };
        Report(new EntityUpdate(node, [], GraphAction.Update) { Derived = [alarm] }, "kubernetes", version);
    }

    private void ReportAlarmDirectly(string datasource, string? version)
    {
        var alarm = new EntityVertex("kubernetes.node.condition", "n1/NodeNotReady")
        {
            Category = EntityCategories.Alarm,
            Name = "direct",
            State = "Active",
            Properties = new Dictionary<string, object?> { ["severity"] = "INFO" },
        };
        var on = new EntityNeighbor(new EntityVertex(KnownEntityTypes.NovaInstance, "vm1"), EdgeLabels.On, EdgeDirection.FromVertex);
        Report(new EntityUpdate(alarm, [on], GraphAction.Update), datasource, version);
    }

    private void ReportStaticAlarm(string? version, string? on)
    {
        var alarm = new EntityVertex("static.alarm", "a1")
        {
            Category = EntityCategories.Alarm,
            Name = "disk full",
            State = "Active",
            Properties = new Dictionary<string, object?> { ["severity"] = "CRITICAL" },
        };
        EntityNeighbor[] neighbors = on is null ? [] : [new EntityNeighbor(new EntityVertex(KnownEntityTypes.NovaInstance, on), EdgeLabels.On, EdgeDirection.FromVertex)];
        Report(new EntityUpdate(alarm, neighbors, GraphAction.Update), "static", version);
    }

    private void ReportHost(bool alarmOnIt, (string Type, string Id)? alarmKey = null)
    {
        var (type, id) = alarmKey ?? ("static.alarm", "a1");
        EntityNeighbor[] neighbors = alarmOnIt
            ? [new EntityNeighbor(new EntityVertex(type, id) { Category = EntityCategories.Alarm }, EdgeLabels.On, EdgeDirection.ToVertex)]
            : [];
        Report(new EntityUpdate(new EntityVertex("zabbix.host", "h1") { Name = "h1", State = "up", Properties = new Dictionary<string, object?> { ["project_id"] = "ph" } },
            neighbors, GraphAction.Update), "zabbix", version: null);
    }

    private void ShouldBeEqual()
    {
        var expected = Render(_reference);
        var actual = Render(_subject);
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            var left = expected.Split('\n').ToHashSet(StringComparer.Ordinal);
            var right = actual.Split('\n').ToHashSet(StringComparer.Ordinal);
            throw new ShouldAssertException("full update (-) / refreshed (+):\n"
                + string.Join("\n", left.Where(l => !right.Contains(l)).Select(l => "- " + l).Concat(right.Where(r => !left.Contains(r)).Select(r => "+ " + r))));
        }
    }

    // What readers see; a live reported vertex's update time is left out (a refresh keeps it, as intended).
    private static string Render(EntityGraph graph)
    {
        var version = graph.Publish();
        var text = new StringBuilder();
        foreach (var v in version.Vertices.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var updated = !v.IsDeleted && !v.IsPlaceholder ? "-" : Seconds(v.UpdateTimestamp); // a full update of a reported vertex moves it, a refresh keeps it
            text.Append(CultureInfo.InvariantCulture,
                $"{v.Key} name={v.Name ?? "-"} state={v.State ?? "-"} deleted={v.IsDeleted} placeholder={v.IsPlaceholder} ds={v.DatasourceName ?? "-"} sample={Seconds(v.SampleTimestamp)} updated={updated}");
            if (v.Alarm is { } alarm)
            {
                text.Append(CultureInfo.InvariantCulture, $" alarm={alarm.StartTimestamp}|{alarm.ResourceVitrageId ?? "-"}|{alarm.ResourceType ?? "-"}|{alarm.ResourceProjectId ?? "-"}");
            }

            text.Append(" {").AppendJoin(", ", v.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")).Append("}\n");
            foreach (var e in v.Edges.Select(e => $"{e.SourceKey} {e.RelationshipType} {e.TargetKey} deleted={e.IsDeleted} updated={Seconds(e.UpdateTimestamp)}").Order(StringComparer.Ordinal))
            {
                text.Append("  ").Append(v.Key).Append(" edge ").Append(e).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Seconds(DateTimeOffset time) => ((long)(time - Start).TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
