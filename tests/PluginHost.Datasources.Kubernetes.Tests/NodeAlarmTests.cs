using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Configuration;
using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.KubeApiSimulator;
using PluginHost.Scheduling;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests;

/// <summary>
/// Node conditions, taints and cordons become alarms and end again, through the host's pipeline
/// (the plugin from the plugins folder with the mapping and values files it ships) on the simulator.
/// </summary>
public sealed class NodeAlarmTests
{
    public static TheoryData<string, Action<NodeStore, string>, Action<NodeStore, string>, string, string, string> Causes => new()
    {
        // case, raise, clear, alarm name, severity, vitrage_operational_severity
        { "Ready False", (n, x) => n.SetReady(x, "False"), (n, x) => n.SetReady(x, "True"), "NodeNotReady", "CRITICAL", "CRITICAL" },
        { "Ready Unknown", (n, x) => n.SetReady(x, "Unknown"), (n, x) => n.SetReady(x, "True"), "NodeStatusUnknown", "CRITICAL", "CRITICAL" },
        { "MemoryPressure", (n, x) => n.SetCondition(x, "MemoryPressure", "True"), (n, x) => n.SetCondition(x, "MemoryPressure", "False"), "NodeMemoryPressure", "WARNING", "WARNING" },
        { "DiskPressure", (n, x) => n.SetCondition(x, "DiskPressure", "True"), (n, x) => n.SetCondition(x, "DiskPressure", "False"), "NodeDiskPressure", "WARNING", "WARNING" },
        { "PIDPressure", (n, x) => n.SetCondition(x, "PIDPressure", "True"), (n, x) => n.SetCondition(x, "PIDPressure", "False"), "NodePIDPressure", "WARNING", "WARNING" },
        { "NetworkUnavailable", (n, x) => n.SetCondition(x, "NetworkUnavailable", "True"), (n, x) => n.SetCondition(x, "NetworkUnavailable", "False"), "NodeNetworkUnavailable", "WARNING", "WARNING" },
        { "unreachable taint", (n, x) => n.SetTaint(x, "node.kubernetes.io/unreachable", "NoExecute"), (n, x) => n.SetTaint(x, "node.kubernetes.io/unreachable", present: false), "NodeUnreachableTaint", "WARNING", "WARNING" },
        { "not-ready taint", (n, x) => n.SetTaint(x, "node.kubernetes.io/not-ready", "NoExecute"), (n, x) => n.SetTaint(x, "node.kubernetes.io/not-ready", present: false), "NodeNotReadyTaint", "WARNING", "WARNING" },
        { "out-of-disk taint", (n, x) => n.SetTaint(x, "node.kubernetes.io/out-of-disk"), (n, x) => n.SetTaint(x, "node.kubernetes.io/out-of-disk", present: false), "NodeOutOfDisk", "CRITICAL", "CRITICAL" },
        { "cordoned", (n, x) => n.SetUnschedulable(x, true), (n, x) => n.SetUnschedulable(x, false), "NodeCordoned", "INFO", "OK" },
    };

    [Theory]
    [MemberData(nameof(Causes))]
    public async Task Snapshot_CauseRaisedThenCleared_AlarmOnTheNodeThenEnded(
        string name, Action<NodeStore, string> raise, Action<NodeStore, string> clear, string alarmName, string severity, string operational)
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 3, Provider = ProviderMode.OpenStack });
        using var temp = new TempFolder();
        await using var host = Start(cluster, temp);
        var nodeName = await HealthyNodeAsync(cluster, host);

        raise(cluster.Simulator.Nodes, nodeName);
        await SnapshotAsync(host);
        var node = Node(host.Graph, nodeName);
        var alarm = AlarmsOf(host.Graph, node).ShouldHaveSingleItem(name);
        (alarm.Name, alarm.Properties["severity"], alarm.OperationalValue, alarm.AggregatedValue).ShouldBe((alarmName, severity, operational, severity), name);
        alarm.Alarm!.ResourceVitrageId.ShouldBe(node.VitrageId, name);
        alarm.Key.ShouldBe($"ALARM:kubernetes.node.condition:{node.Id}/{alarmName}", name);

        clear(cluster.Simulator.Nodes, nodeName);
        await SnapshotAsync(host);
        AlarmsOf(host.Graph, node).ShouldBeEmpty(name);
        host.Graph.Find(alarm.Key)!.IsDeleted.ShouldBeTrue(name);
    }

    [Fact]
    public async Task Snapshot_AlarmUnchangedAcrossSnapshots_KeepsItsIdStartAndUpdateTime()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 3, Provider = ProviderMode.OpenStack });
        using var temp = new TempFolder();
        await using var host = Start(cluster, temp);
        var nodeName = await HealthyNodeAsync(cluster, host);
        cluster.Simulator.Nodes.SetCondition(nodeName, "DiskPressure", "True");
        cluster.Simulator.Nodes.SetUnschedulable(nodeName, true); // no start of its own: the host's
        await SnapshotAsync(host);
        var before = AlarmsOf(host.Graph, Node(host.Graph, nodeName)).Select(a => (a.Key, a.VitrageId, a.Alarm!.StartTimestamp, a.UpdateTimestamp)).ToList();
        cluster.Simulator.Nodes.SetCondition(nodeName, "DiskPressure", "True"); // a heartbeat: the node changes, its alarm does not

        await SnapshotAsync(host);
        await SnapshotAsync(host);

        before.Count.ShouldBe(2);
        AlarmsOf(host.Graph, Node(host.Graph, nodeName)).Select(a => (a.Key, a.VitrageId, a.Alarm!.StartTimestamp, a.UpdateTimestamp)).ShouldBe(before, ignoreOrder: true);
    }

    [Fact]
    public async Task Snapshot_NodeWithAlarmDeleted_AlarmEndsWithIt()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 3, Provider = ProviderMode.OpenStack });
        using var temp = new TempFolder();
        await using var host = Start(cluster, temp);
        var nodeName = await HealthyNodeAsync(cluster, host);
        cluster.Simulator.Nodes.SetReady(nodeName, "False");
        await SnapshotAsync(host);
        var alarm = AlarmsOf(host.Graph, Node(host.Graph, nodeName)).ShouldHaveSingleItem();

        cluster.Simulator.Nodes.Delete(nodeName);
        await SnapshotAsync(host);

        host.Graph.Find(alarm.Key)!.IsDeleted.ShouldBeTrue();
    }

    [Fact]
    public async Task Start_AlarmsFileWithAnError_ConfigurationErrorNamesFileLineAndEntry()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 1 });
        using var temp = new TempFolder();
        var mapping = temp.File("alarms.yaml", "conditions:\n  - condition: Ready\n    status: \"False\"\n    severity: CRITICAL\n");

        var error = Should.Throw<ConfigException>(() => Start(cluster, temp, $"alarms_file = {mapping}"));

        error.Errors.ShouldHaveSingleItem().ShouldBe($"[kubernetes] {mapping}:2: conditions[0].name: missing");
    }

    // Found by a hostile test (s44): the 1 MiB bound was FileInfo.Length, which a device does not
    // have: alarms_file = /dev/zero was read until the process ran out of memory.
    [Fact]
    public async Task Start_AlarmsFileAnEndlessDevice_RefusedAsTooLarge()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 1 });
        using var temp = new TempFolder();

        var error = Should.Throw<ConfigException>(() => Start(cluster, temp, "alarms_file = /dev/zero"));

        error.Errors.ShouldHaveSingleItem().ShouldContain("alarm mapping /dev/zero ([kubernetes] alarms_file) is larger than 1 MiB: is this the right file?");
    }

    [Fact]
    public async Task Snapshot_OperatorAlarmsFile_ReplacesTheShippedMapping()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 3, Provider = ProviderMode.OpenStack });
        using var temp = new TempFolder();
        var mapping = temp.File("alarms.yaml", "conditions:\n  - condition: KernelDeadlock\n    status: [\"True\"]\n    name: KernelDeadlock\n    severity: SEVERE\n");
        await using var host = Start(cluster, temp, $"alarms_file = {mapping}");
        var nodeName = await HealthyNodeAsync(cluster, host);
        cluster.Simulator.Nodes.SetCondition(nodeName, "KernelDeadlock", "True");
        cluster.Simulator.Nodes.SetReady(nodeName, "False"); // not in this mapping

        await SnapshotAsync(host);

        var alarm = AlarmsOf(host.Graph, Node(host.Graph, nodeName)).ShouldHaveSingleItem();
        (alarm.Name, alarm.OperationalValue).ShouldBe(("KernelDeadlock", "SEVERE"));
    }

    [Fact]
    public async Task Reload_AlarmsFileBroken_KeepsTheRunningMappingAndTheNodes()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 3, Provider = ProviderMode.OpenStack });
        using var temp = new TempFolder();
        await using var host = Start(cluster, temp);
        var nodeName = await HealthyNodeAsync(cluster, host);
        cluster.Simulator.Nodes.SetReady(nodeName, "False");
        var broken = temp.File("broken.yaml", "conditions: [oops\n");

        var changes = await host.ReloadAsync(Configuration(cluster, temp, $"alarms_file = {broken}"), TestContext.Current.CancellationToken);
        await SnapshotAsync(host);

        changes.ShouldContain(c => c.Contains("datasource kubernetes kept as it was", StringComparison.Ordinal) && c.Contains(broken, StringComparison.Ordinal));
        host.Graph.LiveVertices.Count(v => v.Type == "kubernetes.node").ShouldBe(3);
        AlarmsOf(host.Graph, Node(host.Graph, nodeName)).ShouldHaveSingleItem().Name.ShouldBe("NodeNotReady");
    }

    private static DatasourceScheduler Start(SimulatedCluster cluster, TempFolder temp, string extra = "") =>
        DatasourceScheduler.Create(Configuration(cluster, temp, extra), NullLoggerFactory.Instance, TimeProvider.System);

    private static HostConfiguration Configuration(SimulatedCluster cluster, TempFolder temp, string extra)
    {
        var config = temp.File("vitrage.conf", $"""
            [datasources]
            types = kubernetes
            plugin_path = {TestRepository.HostPluginFolder}
            [entity_graph]
            datasources_values_dir = {temp.Combine("no-operator-values")}
            [kubernetes]
            config_file = {cluster.Kubeconfig}
            {extra}
            """);
        return HostConfigurationLoader.Load(ConfigFileSet.Load([config], []), Catalog.Value);
    }

    // One catalog for every configuration, as a running host loads its plugins once.
    private static readonly Lazy<PluginHost.Plugins.PluginCatalog> Catalog = new(() => PluginHost.Plugins.PluginCatalog.Discover([TestRepository.HostPluginFolder]));

    private static async Task SnapshotAsync(DatasourceScheduler host) =>
        (await host.SnapshotOnceAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();

    // The first node with no alarm after a first snapshot: the generator makes a few nodes NotReady.
    private static async Task<string> HealthyNodeAsync(SimulatedCluster cluster, DatasourceScheduler host)
    {
        await SnapshotAsync(host);
        return cluster.Simulator.Nodes.Names.First(n => !AlarmsOf(host.Graph, Node(host.Graph, n)).Any());
    }

    private static GraphVertex Node(EntityGraph graph, string name) =>
        graph.Vertices.Where(v => v.Type == "kubernetes.node" && v.Name == name).OrderBy(v => v.IsDeleted).First();

    private static List<GraphVertex> AlarmsOf(EntityGraph graph, GraphVertex node) =>
        node.Edges.Where(e => !e.IsDeleted && e.RelationshipType == EdgeLabels.On && ReferenceEquals(e.Target, node))
            .Select(e => e.Source).Where(a => a.Category == EntityCategories.Alarm && !a.IsDeleted).ToList();
}
