using PluginHost.Graph;
using PluginHost.History;
using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests.Push;

/// <summary>
/// Node alarms follow the watch as they follow snapshots: a watched MODIFIED that changes a
/// condition, taint or cordon raises or ends its alarm, a watched DELETED ends the node's alarms,
/// and the alarm history records both — all without another snapshot.
/// </summary>
public sealed class PushAlarmTests
{
    private static string Config(TempFolder temp, SimulatedCluster cluster) => temp.File("vitrage.conf", $"""
        [datasources]
        types = kubernetes
        plugin_path = {TestRepository.HostPluginFolder}
        [plugin_host]
        state_dir = {temp.Combine("state")}
        [entity_graph]
        datasources_values_dir = {temp.Combine("no-operator-values")}
        [kubernetes]
        config_file = {cluster.Kubeconfig}
        update_method = push
        snapshots_interval = 3600
        """);

    private static async Task<(SimulatedCluster Cluster, TempFolder Temp, PushHost Host, string Node)> StartAsync()
    {
        var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 4, Provider = ProviderMode.OpenStack });
        var temp = new TempFolder();
        var host = PushHost.Start(Config(temp, cluster));
        await host.WaitUntilAsync(() => host.Nodes().Count == 4 && cluster.Simulator.OpenWatches == 1, "the first snapshot and the watch");

        // The generator makes a few nodes NotReady: take one with no alarm.
        var node = cluster.Simulator.Nodes.Names.First(n => AlarmsOf(host.Graph, NodeId(host, n)).Count == 0);
        return (cluster, temp, host, node);
    }

    [Theory]
    [MemberData(nameof(NodeAlarmTests.Causes), MemberType = typeof(NodeAlarmTests))]
    public async Task Watch_CauseRaisedThenCleared_AlarmOnTheNodeThenEnded(
        string name, Action<NodeStore, string> raise, Action<NodeStore, string> clear, string alarmName, string severity, string operational)
    {
        var (cluster, temp, host, node) = await StartAsync();
        await using var _ = cluster;
        using var __ = temp;
        await using var ___ = host;
        var id = NodeId(host, node);

        raise(cluster.Simulator.Nodes, node);
        await host.WaitUntilAsync(() => AlarmsOf(host.Graph, id).Count == 1, $"the alarm of {name}");
        var alarm = AlarmsOf(host.Graph, id).Single();
        (alarm.Name, alarm.Properties["severity"], alarm.OperationalValue).ShouldBe((alarmName, severity, operational), name);
        alarm.Key.ShouldBe($"ALARM:kubernetes.node.condition:{id}/{alarmName}", name);

        clear(cluster.Simulator.Nodes, node);
        await host.WaitUntilAsync(() => AlarmsOf(host.Graph, id).Count == 0, $"the end of {name}");

        host.Graph.Find(alarm.Key)?.IsDeleted.ShouldNotBe(false, name);
        host.Runner().Status.Current.CompletedSnapshots.ShouldBe(1, name); // the watch did it, not a resync
    }

    [Fact]
    public async Task Watch_NodeWithAlarmsDeleted_AlarmsEndWithItAndTheHistoryRecordsBoth()
    {
        var (cluster, temp, host, node) = await StartAsync();
        await using var _ = cluster;
        using var __ = temp;
        await using var ___ = host;
        var id = NodeId(host, node);
        var nodes = cluster.Simulator.Nodes;
        nodes.SetReady(node, "False");
        nodes.SetCondition(node, "DiskPressure", "True");
        await host.WaitUntilAsync(() => AlarmsOf(host.Graph, id).Count == 2, "both alarms");
        var keys = AlarmsOf(host.Graph, id).Select(a => a.Key).ToList();

        nodes.Delete(node);

        await host.WaitUntilAsync(() => !host.Nodes().ContainsKey(node), "the watched deletion");
        await host.WaitUntilAsync(() => keys.All(k => host.Graph.Find(k) is null or { IsDeleted: true }), "the node's alarms ended");
        host.Runner().Status.Current.CompletedSnapshots.ShouldBe(1);
        var history = new AlarmHistoryReader(temp.Combine("state", "history.db"));
        await host.WaitUntilAsync(() => Rows(history, id) is { Count: 2 } rows && rows.All(r => r.End is not null), "both alarms ended in the history");
        Rows(history, id).Select(r => AlarmName(r)).Order(StringComparer.Ordinal).ShouldBe(["NodeDiskPressure", "NodeNotReady"]);
    }

    // The alarms "on" the node with this uid (its vertex's key), live in the published version.
    private static List<VertexView> AlarmsOf(GraphVersion graph, string nodeId) =>
        graph.LiveVertices.Where(v => v.Category == "ALARM" && v.Key.StartsWith($"ALARM:kubernetes.node.condition:{nodeId}/", StringComparison.Ordinal)
            && graph.Find($"RESOURCE:{KubernetesEntityTypes.Node}:{nodeId}") is { IsDeleted: false } node
            && v.Alarm?.ResourceVitrageId == node.VitrageId).ToList();

    private static string NodeId(PushHost host, string name) =>
        host.Graph.LiveVertices.Single(v => v.Type == KubernetesEntityTypes.Node && v.Name == name).Id;

    // The history's rows of the node's alarms (their ids hold the node's uid); none while the file is not there yet.
    private static List<HistoryAlarm> Rows(AlarmHistoryReader history, string nodeId)
    {
        try
        {
            return history.Read(new AlarmHistoryQuery()).Where(r => r.Payload.Contains(nodeId, StringComparison.Ordinal)).ToList();
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return [];
        }
    }

    private static string AlarmName(HistoryAlarm row) =>
        System.Text.Json.JsonDocument.Parse(row.Payload).RootElement.GetProperty("name").GetString()!;
}
