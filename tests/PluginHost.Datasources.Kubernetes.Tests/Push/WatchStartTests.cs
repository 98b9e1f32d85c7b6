using System.Globalization;
using PluginHost.Contracts;
using PluginHost.KubeApiSimulator;

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
