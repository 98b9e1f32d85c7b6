using System.Globalization;
using PluginHost.Contracts;
using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Scheduling;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests.Push;

/// <summary>
/// How a push driver starts: its first snapshot is the complete read the watch goes on from, by
/// one WatchList stream where the server serves it and <c>use_watch_list</c> allows, else by a
/// paged list and a watch from the list's version.
/// </summary>
public sealed class WatchStartTests
{
    public static TheoryData<string, bool, string, bool, int> StartPaths => new()
    {
        { "auto, a server with WatchList: one stream, no list", true, "auto", true, 1 },
        { "auto, a server refusing WatchList: the refused request, a list, then a watch from its version", false, "auto", false, 2 },
        { "false: a list, then a watch from its version", true, "false", false, 1 },
        { "true, a server with WatchList: one stream", true, "true", true, 1 },
    };

    [Theory]
    [MemberData(nameof(StartPaths))]
    public async Task InitSnapshot_StartPath_IsCompleteAndTheWatchGoesOnFromIt(string name, bool served, string useWatchList, bool watchList, int watchRequests)
    {
        await using var watched = await WatchedCluster.StartAsync(new SimulatorOptions { NodeCount = 7, WatchList = served }, useWatchList);
        var simulator = watched.Simulator;
        var listVersion = simulator.Nodes.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        var flipped = simulator.Nodes.Names[3];

        simulator.Nodes.SetReady(flipped, "False");
        var change = await watched.WaitForAsync(e => WatchedCluster.NodeName(e) == flipped, $"{flipped} MODIFIED ({name})");

        watched.Initial.Count(e => e.EntityType == KubernetesEntityTypes.Node).ShouldBe(7, name);
        watched.Initial[^1].EntityType.ShouldBe(KubernetesEntityTypes.Cluster, name);
        watched.Initial.ShouldAllBe(e => e.Action == DatasourceAction.InitSnapshot, name);
        simulator.Counters.NodeListRequests.ShouldBe(watchList ? 0 : 1, name);
        simulator.Counters.Watches.Count.ShouldBe(watchRequests, name);
        var watch = simulator.Counters.Watches.Last();
        watch.SendInitialEvents.ShouldBe(watchList, name);
        watch.ResourceVersion.ShouldBe(watchList ? string.Empty : listVersion, name);
        watch.AllowWatchBookmarks.ShouldBeTrue(name);
        int.Parse(watch.TimeoutSeconds, CultureInfo.InvariantCulture).ShouldBeInRange(300, 600, name);
        (change.Action, WatchedCluster.WatchType(change)).ShouldBe((DatasourceAction.Update, "MODIFIED"), name);
    }

    [Fact]
    public async Task InitSnapshot_AutoAndAServerRefusingWatchList_ListsAndSaysWhyOnce()
    {
        await using var watched = await WatchedCluster.StartAsync(new SimulatorOptions { NodeCount = 2, WatchList = false }, "auto");

        watched.Logger.Entries.Count(e => e.Message.Contains("does not serve WatchList", StringComparison.Ordinal)).ShouldBe(1);
        watched.Logger.Entries.Single(e => e.Message.Contains("does not serve WatchList", StringComparison.Ordinal)).Message
            .ShouldContain("sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled");
    }

    [Fact]
    public async Task InitSnapshot_TrueAndAServerRefusingWatchList_FailsSayingTheOptionRequiresIt()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 2, WatchList = false });
        await using var driver = SimulatedCluster.CreateDriver(SimulatedCluster.Settings(cluster.Kubeconfig, updateMethod: "push", useWatchList: "true"));

        var e = await Should.ThrowAsync<DatasourceException>(() => SimulatedCluster.GetAllAsync(driver, DatasourceAction.InitSnapshot, TestContext.Current.CancellationToken));

        e.Message.ShouldStartWith($"GET /api/v1/nodes on {cluster.Simulator.BaseUrl.ToString().TrimEnd('/')} answered 422");
        e.Message.ShouldEndWith("the server does not serve WatchList, and [kubernetes] use_watch_list = true requires it; set it to auto or false");
        cluster.Simulator.Counters.NodeListRequests.ShouldBe(0);
    }

    // case, use_watch_list, how the failed snapshot's message ends, whether the next attempt lists
    public static TheoryData<string, string, string, bool> EndBookmarkNeverComes => new()
    {
        { "auto: the next attempt lists", "auto", "reading with a list from the next attempt on ([kubernetes] use_watch_list = auto)", true },
        { "true: the next attempt is a WatchList again", "true", "([kubernetes] use_watch_list = true)", false },
    };

    [Theory]
    [MemberData(nameof(EndBookmarkNeverComes))]
    public async Task InitSnapshot_WatchListEndBookmarkNeverComes_FailsAtTheSnapshotTimeoutThenFallsBackAsAllowed(
        string name, string useWatchList, string ending, bool lists)
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 3 });
        var simulator = cluster.Simulator;
        simulator.Faults.Add(new FaultRule(FaultKind.SilentWatch) { OnWatch = true, Times = 1 }); // headers, then nothing: no end bookmark
        var clock = new CountingTimeProvider(DateTimeOffset.UtcNow);
        await using var driver = new KubernetesDatasourcePlugin().CreateDriver(new DatasourceContext("kubernetes",
            SimulatedCluster.Settings(cluster.Kubeconfig, updateMethod: "push", useWatchList: useWatchList, snapshotTimeout: 300), new CapturingLogger(), clock));

        var first = SimulatedCluster.GetAllAsync(driver, DatasourceAction.InitSnapshot, TestContext.Current.CancellationToken);
        using (var bound = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            while (!first.IsCompleted)
            {
                clock.Advance(TimeSpan.FromSeconds(10)); // the snapshot_timeout (300 s) comes before the idle deadline (600 s at least)
                await Task.Delay(20, bound.Token);
            }
        }

        var error = await Should.ThrowAsync<DatasourceException>(() => first, name);
        error.Message.ShouldContain("sent 0 nodes but no initial-events-end bookmark within 300 s ([kubernetes] snapshot_timeout)", Case.Sensitive, name);
        error.Message.ShouldEndWith(ending, Case.Sensitive, name);
        var second = await SimulatedCluster.GetAllAsync(driver, DatasourceAction.InitSnapshot, TestContext.Current.CancellationToken);
        second.Count(e => e.EntityType == KubernetesEntityTypes.Node).ShouldBe(3, name);
        simulator.Counters.NodeListRequests.ShouldBe(lists ? 1 : 0, name);
        simulator.Counters.Watches.Count(w => w.SendInitialEvents).ShouldBe(lists ? 1 : 2, name);
    }

    [Fact]
    public async Task InitSnapshot_WatchListStream_IsTheStreamTheWatchReads()
    {
        await using var watched = await WatchedCluster.StartAsync(new SimulatorOptions { NodeCount = 3 });
        var added = watched.Simulator.AddGeneratedNodes(1).Single();

        await watched.WaitForAsync(e => WatchedCluster.NodeName(e) == added, "the added node");

        watched.Simulator.Counters.WatchRequests.ShouldBe(1);
        watched.Simulator.OpenWatches.ShouldBe(1);
    }

    [Fact]
    public async Task Resync_PushDriver_ListsEverythingWhileTheWatchGoesOn()
    {
        await using var watched = await WatchedCluster.StartAsync(new SimulatorOptions { NodeCount = 5 });

        var resync = await SimulatedCluster.GetAllAsync(watched.Driver, DatasourceAction.Snapshot, TestContext.Current.CancellationToken);
        watched.Simulator.Nodes.SetReady(watched.Simulator.Nodes.Names[0], "False");
        await watched.WaitForAsync(e => WatchedCluster.WatchType(e) == "MODIFIED", "the change after the resync");

        resync.Count(e => e.EntityType == KubernetesEntityTypes.Node).ShouldBe(5);
        resync.ShouldAllBe(e => e.Action == DatasourceAction.Snapshot);
        watched.Simulator.Counters.NodeListRequests.ShouldBe(1);
        watched.Simulator.Counters.WatchRequests.ShouldBe(1);
    }
}
