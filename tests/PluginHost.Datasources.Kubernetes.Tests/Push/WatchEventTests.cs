using System.Globalization;
using PluginHost.Contracts;
using PluginHost.KubeApiSimulator;

namespace PluginHost.Datasources.Kubernetes.Tests.Push;

/// <summary>What each watch event becomes, and how the watch goes on after a stream ends, breaks or expires.</summary>
public sealed class WatchEventTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, GraphAction> Changes => new()
    {
        { "a node added", "ADDED", GraphAction.Update },
        { "a node turned NotReady", "MODIFIED", GraphAction.Update },
        { "a node deleted", "DELETED", GraphAction.Delete },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Watch_NodeChange_IsAnUpdateEventTheTransformerTurnsIntoItsAction(string name, string type, GraphAction action)
    {
        await using var watched = await WatchedCluster.StartAsync(new SimulatorOptions { NodeCount = 4, Provider = ProviderMode.OpenStack });
        var nodes = watched.Simulator.Nodes;
        var node = type == "ADDED" ? watched.Simulator.AddGeneratedNodes(1).Single() : nodes.Names[1];
        var uid = nodes.Get(node)!["metadata"]!["uid"]!.GetValue<string>();
        _ = type switch
        {
            "MODIFIED" => nodes.SetReady(node, "False"),
            "DELETED" => nodes.Delete(node),
            _ => true,
        };
        var version = nodes.ResourceVersion.ToString(CultureInfo.InvariantCulture);

        var e = await watched.WaitForAsync(e => WatchedCluster.NodeName(e) == node && WatchedCluster.WatchType(e) == type, name);

        e.Action.ShouldBe(DatasourceAction.Update, name);
        e.DatasourceName.ShouldBe("kubernetes", name);
        e.EntityId.ShouldBe(uid, name);
        e.EntityVersion.ShouldBe(type == "DELETED" ? null : version, name);
        var transformers = new KubernetesDatasourcePlugin().CreateTransformers(SimulatedCluster.Settings(watched.Cluster.Kubeconfig));
        var update = transformers[KubernetesEntityTypes.Node].Transform(e);
        update.Action.ShouldBe(action, name);
        update.Vertex.Id.ShouldBe(uid, name);
        if (type == "MODIFIED")
        {
            update.Vertex.State.ShouldBe("NotReady", name);
        }
        else
        {
            // The cluster's node count and its links to the VMs follow the membership.
            var cluster = await watched.WaitForAsync(c => c.EntityType == KubernetesEntityTypes.Cluster, $"the cluster event after {name}");
            cluster.Properties.GetProperty("node_count").GetInt32().ShouldBe(nodes.Count, name);
            cluster.Properties.GetProperty("node_identities").GetArrayLength().ShouldBe(nodes.Count, name);
        }
    }

    [Fact]
    public async Task Watch_StreamEnds_WatchesAgainFromTheLastEventsVersionWithoutAList()
    {
        await using var watched = await WatchedCluster.StartAsync(new SimulatorOptions
        {
            NodeCount = 3, MaxWatchDuration = TimeSpan.FromSeconds(1.5), BookmarkInterval = TimeSpan.FromHours(1),
        }, useWatchList: "false");
        watched.Simulator.Nodes.SetReady(watched.Simulator.Nodes.Names[0], "False");
        var version = watched.Simulator.Nodes.ResourceVersion.ToString(CultureInfo.InvariantCulture);

        await watched.WaitUntilAsync(() => watched.Simulator.Counters.WatchRequests >= 2, "a second watch");

        watched.Simulator.Counters.Watches.ElementAt(1).ResourceVersion.ShouldBe(version);
        watched.Simulator.Counters.NodeListRequests.ShouldBe(1);
        watched.Changes.Count(e => WatchedCluster.WatchType(e) == "MODIFIED").ShouldBe(1);
    }

    [Fact]
    public async Task Watch_Bookmark_IsWhereTheNextWatchResumesWithoutARelist()
    {
        await using var watched = await WatchedCluster.StartAsync(new SimulatorOptions
        {
            NodeCount = 3, MaxWatchDuration = TimeSpan.FromSeconds(1.5), BookmarkInterval = TimeSpan.FromMilliseconds(100),
        }, useWatchList: "false");
        var nodes = watched.Simulator.Nodes;
        nodes.WatchersMissChanges = true; // the version moves on without an event: only a bookmark tells
        nodes.SetReady(nodes.Names[0], "False");
        nodes.WatchersMissChanges = false;
        var bookmarked = nodes.ResourceVersion.ToString(CultureInfo.InvariantCulture);

        await watched.WaitUntilAsync(() => watched.Simulator.Counters.WatchRequests >= 2, "a second watch");

        watched.Simulator.Counters.Watches.ElementAt(1).ResourceVersion.ShouldBe(bookmarked);
        watched.Simulator.Counters.NodeListRequests.ShouldBe(1);
        watched.Counters["watch_relists"].ShouldBe(0);
        watched.Changes.ShouldBeEmpty();
    }

    [Fact]
    public async Task Watch_DroppedMidStream_WatchesAgainAndLosesOrRepeatsNoEvent()
    {
        await using var watched = await WatchedCluster.StartAsync(new SimulatorOptions { NodeCount = 4 }, useWatchList: "false", watch: false);
        watched.Simulator.Faults.Add(new FaultRule(FaultKind.DropWatch) { OnWatch = true, AfterEvents = 1, Times = 1 });
        watched.StartWatching();
        await watched.WaitUntilAsync(() => watched.Simulator.OpenWatches == 1, "the watch stream");
        var names = watched.Simulator.Nodes.Names.Take(3).ToList();

        foreach (var name in names)
        {
            watched.Simulator.Nodes.SetReady(name, "False");
        }

        foreach (var name in names)
        {
            await watched.WaitForAsync(e => WatchedCluster.NodeName(e) == name, $"{name} MODIFIED");
        }

        (await WatchedCluster.StaysAsync(() => watched.Changes.Count(e => WatchedCluster.WatchType(e) == "MODIFIED") == 3)).ShouldBeTrue();
        names.ShouldAllBe(n => watched.Changes.Count(e => WatchedCluster.NodeName(e) == n) == 1);
        watched.Simulator.Counters.WatchRequests.ShouldBe(2);
        watched.Simulator.Counters.NodeListRequests.ShouldBe(1);
    }

    [Theory]
    [InlineData("relist by list", false)]
    [InlineData("relist by WatchList", true)]
    public async Task Watch_VersionCompactedWhileAway_RelistsACompleteSnapshotWithoutTheDeletedNode(string name, bool watchList)
    {
        await using var watched = await WatchedCluster.StartAsync(new SimulatorOptions { NodeCount = 6, WatchList = watchList });
        var simulator = watched.Simulator;
        await watched.WaitUntilAsync(() => simulator.OpenWatches == 1, "the watch stream");
        simulator.Faults.Add(new FaultRule(FaultKind.InternalError) { OnWatch = true });
        simulator.DropWatches();
        var deleted = simulator.Nodes.Names[2];
        var flipped = simulator.Nodes.Names[4];
        simulator.Nodes.Delete(deleted);
        simulator.Nodes.SetReady(flipped, "False");
        simulator.Nodes.Compact();
        await watched.WaitUntilAsync(() => simulator.Faults.Fired[0] > 0, "a watch request answered 500");
        var startedBefore = DateTimeOffset.UtcNow;

        simulator.Faults.Clear();
        var end = await watched.WaitForAsync(e => e.IsEndOfSnapshot, "the relist's end", seconds: 30);

        var relist = watched.Changes.TakeWhile(e => !e.IsEndOfSnapshot).Where(e => e.Action == DatasourceAction.Snapshot).ToList();
        relist.Where(e => e.EntityType == KubernetesEntityTypes.Node).Select(e => WatchedCluster.NodeName(e)!).Order(StringComparer.Ordinal).ToList()
            .ShouldBe(simulator.Nodes.Names.ToList(), name);
        relist[^1].Properties.GetProperty("node_count").GetInt32().ShouldBe(5, name);
        end.DatasourceName.ShouldBe("kubernetes", name);
        end.SampleTime.ShouldBeLessThanOrEqualTo(relist[0].SampleTime, name);
        end.SampleTime.ShouldBeGreaterThan(startedBefore.AddSeconds(-1), name);
        watched.Counters["watch_relists"].ShouldBe(1, name);
        watched.Counters["watch_backoffs"].ShouldBeGreaterThanOrEqualTo(1, name);
        var after = watched.Changes.Count;
        simulator.Nodes.SetReady(simulator.Nodes.Names[0], "False");
        await watched.WaitForAsync(e => WatchedCluster.WatchType(e) == "MODIFIED", "a change after the relist", skip: after);
    }
}
