using PluginHost.Contracts;
using PluginHost.KubeApiSimulator;

namespace PluginHost.Datasources.Kubernetes.Tests.Push;

/// <summary>A resync and a relist read at once: the version of one is not held against the other.</summary>
public sealed class ListVersionRaceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The resync's list is served (its version fixed) first, slowly; the watch's relist starts and
    // completes at a later version meanwhile. The resync's version is below that relist's, but it is
    // not an etcd restore: the relist began after it. Before the fix, the warning was logged and every
    // node of the resync went out without its version (transformed in full).
    [Fact]
    public async Task Resync_ARelistCompletesWhileItsFirstPageIsRead_IsNotTakenForAnEtcdRestore()
    {
        await using var watched = await WatchedCluster.StartAsync(new SimulatorOptions { NodeCount = 40 }, useWatchList: "false");
        var simulator = watched.Simulator;
        await watched.WaitUntilAsync(() => simulator.OpenWatches == 1, "the watch stream");
        simulator.Faults.Add(new FaultRule(FaultKind.InternalError) { OnWatch = true }); // the watch falls behind
        simulator.DropWatches();
        await watched.WaitUntilAsync(() => simulator.Faults.Fired[0] > 0, "a watch request answered 500");
        simulator.Nodes.SetReady(simulator.Nodes.Names[0], "False");
        simulator.Nodes.Compact(); // its version is gone: it relists once it is let back
        simulator.Faults.Add(new FaultRule(FaultKind.SlowBody) { OnWatch = false, OnRequest = 1, Times = 1, Delay = TimeSpan.FromMilliseconds(400) });

        var resync = SimulatedCluster.GetAllAsync(watched.Driver, DatasourceAction.Snapshot, Ct);
        await watched.WaitUntilAsync(() => simulator.Faults.Fired[1] > 0, "the resync's list request");
        simulator.Nodes.SetReady(simulator.Nodes.Names[1], "False");
        simulator.Faults.Clear(); // the slow answer already chosen goes on
        await watched.WaitUntilAsync(() => watched.Counters["watch_relists"] == 1, "the relist", seconds: 30);
        resync.IsCompleted.ShouldBeFalse("the relist must end while the resync's first page is read");

        var events = await resync;

        watched.Logger.Warnings.ShouldNotContain(w => w.Contains("etcd restored", StringComparison.Ordinal), string.Join("\n", watched.Logger.Warnings));
        events.Where(e => e.EntityType == KubernetesEntityTypes.Node).ShouldAllBe(e => e.EntityVersion != null);
    }
}
