using PluginHost.Contracts;
using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests.Push;

/// <summary>
/// <c>update_method = push</c> through the host's pipeline after an etcd restore: the watch, away
/// meanwhile, holds a version above the restored one; what the server answers it, and what the graph shows.
/// </summary>
public sealed class EtcdRestoreTests
{
    private static async Task<(SimulatedCluster Cluster, TempFolder Temp, PushHost Host)> StartAsync(SimulatorOptions options, string extra = "")
    {
        var cluster = await SimulatedCluster.StartAsync(options);
        var temp = new TempFolder();
        var host = PushHost.Start(PushHost.Config(temp, cluster.Kubeconfig, "snapshots_interval = 3600\n" + extra));
        await host.WaitUntilAsync(() => host.Nodes().Count == options.NodeCount && cluster.Simulator.OpenWatches == 1, "the first snapshot and the watch");
        return (cluster, temp, host);
    }

    // The watch is held off (500s) while etcd is restored, then let back from its old version.
    private static async Task RestoreWhileTheWatchIsAwayAsync(PushHost host, KubeApiSimulator.KubeApiSimulator simulator, long restoreTo, Action afterRestore)
    {
        simulator.Faults.Add(new FaultRule(FaultKind.InternalError) { OnWatch = true });
        simulator.DropWatches();
        await host.WaitUntilAsync(() => simulator.Faults.Fired[0] > 0, "a watch request answered 500");
        simulator.Nodes.Restore(restoreTo);
        afterRestore();
        simulator.Faults.Clear();
    }

    private static long Version(NodeStore nodes, string name) =>
        long.Parse(nodes.Get(name)!["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    // case, [kubernetes] use_watch_list (how the relist reads)
    public static TheoryData<string, string> RelistReads => new()
    {
        { "WatchList", "auto" },
        { "paged list", "false" },
    };

    // The watch comes back with a version above the restored one: the server answers 504 "Too large
    // resource version" until the cluster passes it. Before the fix that was a failure like a 5xx:
    // watched again from the same version after each backoff, forever, and no change reached the graph.
    [Theory]
    [MemberData(nameof(RelistReads))]
    public async Task Watch_EtcdRestoredWhileItWasAway_RelistsOnTooLargeResourceVersion(string name, string useWatchList)
    {
        var (cluster, temp, host) = await StartAsync(new SimulatorOptions { NodeCount = 10 }, $"use_watch_list = {useWatchList}");
        await using var _ = cluster;
        using var __ = temp;
        await using var ___ = host;
        var simulator = cluster.Simulator;
        var nodes = simulator.Nodes;
        var restoreTo = nodes.ResourceVersion - 3;
        // Not a node re-written at the version the graph holds for it (that is the next test's case).
        var flipped = nodes.Names.First(n => PushHost.Expected(simulator)[n] == "Ready" && Version(nodes, n) != restoreTo + 1);

        await RestoreWhileTheWatchIsAwayAsync(host, simulator, restoreTo, () => nodes.SetReady(flipped, "False"));

        await host.WaitUntilAsync(() => host.Nodes()[flipped] == "NotReady", $"{name}: the change after the restore in the graph");
        ((IDriverCounters)host.Runner().Driver).Counters["watch_relists"].ShouldBe(1, name);
        host.Logs.Warnings.ShouldContain(w => w.Message.Contains("Too large resource version", StringComparison.Ordinal), name);
    }
}
