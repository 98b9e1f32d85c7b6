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
    // A 10-node simulated cluster watched by a pushing host ([kubernetes] use_watch_list as given,
    // pages of pageSize nodes when set), once the first snapshot is in the graph and the watch open.
    private static async Task<RestoreRun> StartAsync(string useWatchList, int? pageSize = 4)
    {
        var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 10 });
        var temp = new TempFolder();
        var config = $"snapshots_interval = 3600\nuse_watch_list = {useWatchList}" + (pageSize is { } size ? $"\npage_size = {size}" : string.Empty);
        var host = PushHost.Start(PushHost.Config(temp, cluster.Kubeconfig, config));
        var run = new RestoreRun(cluster, temp, host);
        try
        {
            await host.WaitUntilAsync(() => host.Nodes().Count == 10 && cluster.Simulator.OpenWatches == 1, "the first snapshot and the watch");
            return run;
        }
        catch
        {
            await run.DisposeAsync(); // a start that failed leaves no host, folder or simulator behind
            throw;
        }
    }

    private sealed class RestoreRun(SimulatedCluster cluster, TempFolder temp, PushHost host) : IAsyncDisposable
    {
        public PushHost Host => host;

        public KubeApiSimulator.KubeApiSimulator Simulator => cluster.Simulator;

        // The host first, then its folder, then the cluster it watched.
        public async ValueTask DisposeAsync()
        {
            try
            {
                await host.DisposeAsync();
            }
            finally
            {
                temp.Dispose();
                await cluster.DisposeAsync();
            }
        }
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

    private static List<string> ReadyNodes(KubeApiSimulator.KubeApiSimulator simulator) =>
        simulator.Nodes.Names.Where(n => PushHost.Expected(simulator)[n] == "Ready").ToList();

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
        await using var run = await StartAsync(useWatchList, pageSize: null);
        var (host, simulator) = (run.Host, run.Simulator);
        var nodes = simulator.Nodes;
        var restoreTo = nodes.ResourceVersion - 3;
        // Not a node re-written at the version the graph holds for it (that is the next test's case).
        var flipped = nodes.Names.First(n => PushHost.Expected(simulator)[n] == "Ready" && Version(nodes, n) != restoreTo + 1);

        await RestoreWhileTheWatchIsAwayAsync(host, simulator, restoreTo, () => nodes.SetReady(flipped, "False"));

        await host.WaitUntilAsync(() => host.Nodes()[flipped] == "NotReady", $"{name}: the change after the restore in the graph");
        ((IDriverCounters)host.Runner().Driver).Counters["watch_relists"].ShouldBe(1, name);
        host.Logs.Warnings.ShouldContain(w => w.Message.Contains("Too large resource version", StringComparison.Ordinal), name);
    }

    // case, [kubernetes] use_watch_list, whether the first resync after the relist fails on its second page
    public static TheoryData<string, string, bool> RestoreMarks => new()
    {
        { "WatchList relist", "auto", false },
        { "WatchList relist, the first resync after it fails mid-list", "auto", true },
        { "paged relist (it sees the restore itself)", "false", false },
    };

    // After the restore two nodes are re-written at the very versions the graph holds for them, with
    // other content: one before the relist (the relist reads it), one after it (the watch delivers
    // it). A WatchList relist learns of the restore only at its end bookmark, after its nodes went out
    // with their versions. Before the fix it only logged that the next resync would apply every node
    // in full, and recorded nothing: the watch then delivered the second node with the held version
    // (refreshed: still Ready), and by the resync the cluster's version had passed the old complete
    // read's, so the resync judged nothing gone back and refreshed both: stale until they changed again.
    [Theory]
    [MemberData(nameof(RestoreMarks))]
    public async Task Resync_WatchListRelistSawARestore_AppliesEveryNodeInFullAndThenRefreshesAgain(string name, string useWatchList, bool failFirst)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var run = await StartAsync(useWatchList);
        var (host, simulator) = (run.Host, run.Simulator);
        var nodes = simulator.Nodes;
        var ready = ReadyNodes(simulator);
        var (relisted, watched, other) = (ready[0], ready[1], ready[2]);
        nodes.SetReady(relisted, "True");
        var held = nodes.ResourceVersion; // relisted's; watched's is the next
        nodes.SetReady(watched, "True");
        nodes.SetReady(other, "True");
        await host.WaitUntilAsync(() => HeldVersion(host, other) == held + 2, $"{name}: the watched versions in the graph");
        await ResyncAsync(host, name); // the last complete read: held + 2

        await RestoreWhileTheWatchIsAwayAsync(host, simulator, held - 1, () => nodes.SetReady(relisted, "False"));
        Version(nodes, relisted).ShouldBe(held, name);
        await host.WaitUntilAsync(() => ((IDriverCounters)host.Runner().Driver).Counters["watch_relists"] == 1, $"{name}: the relist");
        nodes.SetReady(watched, "False"); // at held + 1, as the graph holds it
        nodes.SetReady(other, "True");
        nodes.SetReady(other, "True"); // held + 3: past the last complete read's version
        await host.WaitUntilAsync(() => HeldVersion(host, other) == held + 3, $"{name}: the watched changes after the relist");
        host.Nodes()[watched].ShouldBe("NotReady", $"{name}: re-written at the version the graph held, delivered by the watch\n{host.Logs.Text}");

        if (failFirst)
        {
            simulator.Faults.Add(new FaultRule(FaultKind.InternalError) { OnWatch = false, OnRequest = 2, Times = 1 });
            (await host.Runner().RunSnapshotAsync(DatasourceAction.Snapshot, ct)).ShouldBeFalse(name);
            simulator.Faults.Clear();
        }

        await ResyncAsync(host, name);

        host.Nodes()[relisted].ShouldBe("NotReady", $"{name}: re-written at the version the graph held, read by the relist\n{host.Logs.Text}");
        host.Nodes().OrderBy(n => n.Key, StringComparer.Ordinal).ShouldBe(PushHost.Expected(simulator).OrderBy(n => n.Key, StringComparer.Ordinal), name);

        // Steady again: a resync after the next one (which gives the nodes their versions back)
        // refreshes the unchanged nodes instead of transforming them. (One more first: the failed
        // resync's end may reach the host's log after a later resync began counting.)
        await ResyncAsync(host, name);
        await ResyncAsync(host, name);
        var before = Vertex(host, relisted).Properties;
        await ResyncAsync(host, name);
        Vertex(host, relisted).Properties.ShouldBeSameAs(before, name);
    }

    // case, [kubernetes] use_watch_list, which request of the relist is held back: a watch request
    // (the WatchList, after the 504'd watch) or a list request
    public static TheoryData<string, string, bool, int> RelistRequests => new()
    {
        { "WatchList relist", "auto", true, 2 },
        { "paged relist", "false", false, 1 },
    };

    // Review of stop 40: after the watch's 504 "Too large resource version" the relist judged the
    // restore by its own version only: below the last complete read's, or nothing. A WatchList learns
    // that version at its end bookmark, after its nodes went out with theirs, and a cluster's version
    // soon passes the old one again (here: two changes while the relist's request is held back), so
    // a node re-written at the version the graph held was only refreshed and stayed stale until a
    // later read (the next resync, snapshots_interval, 600 s by default). The 504 now marks the
    // restore: the relist applies every node in full.
    [Theory]
    [MemberData(nameof(RelistRequests))]
    public async Task Relist_AfterTooLargeResourceVersion_NodeRewrittenAtTheHeldVersionIsRightWithoutAResync(string name, string useWatchList, bool onWatch, int onRequest)
    {
        await using var run = await StartAsync(useWatchList);
        var (host, simulator) = (run.Host, run.Simulator);
        var nodes = simulator.Nodes;
        var ready = ReadyNodes(simulator);
        var (relisted, other) = (ready[0], ready[1]);
        nodes.SetReady(relisted, "True");
        var held = nodes.ResourceVersion;
        nodes.SetReady(other, "True");
        await host.WaitUntilAsync(() => HeldVersion(host, other) == held + 1, $"{name}: the watched versions in the graph");
        await ResyncAsync(host, name); // the last complete read: held + 1

        await RestoreWhileTheWatchIsAwayAsync(host, simulator, held - 1, () => nodes.SetReady(relisted, "False"));
        simulator.Faults.Add(new FaultRule(FaultKind.Latency) { OnWatch = onWatch, OnRequest = onRequest, Times = 1, Delay = TimeSpan.FromSeconds(2) });
        Version(nodes, relisted).ShouldBe(held, name);
        await host.WaitUntilAsync(() => simulator.Faults.Fired[0] > 0, $"{name}: the relist's request held back\n{host.Logs.Text}");
        nodes.SetReady(ready[2], "True");
        nodes.SetReady(ready[2], "True"); // held + 2: past the last complete read's version

        await host.WaitUntilAsync(() => host.Nodes()[relisted] == "NotReady", $"{name}: the node re-written at the held version, right after the relist\n{host.Logs.Text}");
        host.Nodes().OrderBy(n => n.Key, StringComparer.Ordinal).ShouldBe(PushHost.Expected(simulator).OrderBy(n => n.Key, StringComparer.Ordinal), name);
        ((IDriverCounters)host.Runner().Driver).Counters["watch_relists"].ShouldBe(1, name);

        // The watch goes on after it: a change after the relist reaches the graph.
        nodes.SetReady(other, "False");
        await host.WaitUntilAsync(() => host.Nodes()[other] == "NotReady", $"{name}: a watched change after the relist");
    }

    // The rarer way a WatchList relist meets a restore: no 504 first. The watch was away while a
    // resync completed at C, etcd was restored to a version above the watch's own (so the watch gets
    // 410 Gone and relists) but below C; the WatchList's end bookmark then shows the version went back,
    // after its nodes went out with their versions. It lists again at once, every node in full; a node
    // it reported that is deleted before that list is deleted at the list's end (the watch goes on
    // from the list's version and never sees that deletion).
    [Fact]
    public async Task Relist_WatchListEndShowsARestore_ListsAgainAndDeletesWhatWentBeforeTheList()
    {
        await using var run = await StartAsync("auto");
        var (host, simulator) = (run.Host, run.Simulator);
        var nodes = simulator.Nodes;
        var ready = ReadyNodes(simulator);
        var (relisted, other, gone) = (ready[0], ready[1], ready[2]);
        simulator.Faults.Add(new FaultRule(FaultKind.InternalError) { OnWatch = true });
        simulator.DropWatches();
        await host.WaitUntilAsync(() => simulator.Faults.Fired[0] > 0, "a watch request answered 500");
        var away = nodes.ResourceVersion; // the watch's version
        nodes.SetReady(other, "True"); // away + 1
        nodes.SetReady(relisted, "True"); // away + 2: the graph holds it at this version after the resync
        nodes.SetReady(other, "True"); // away + 3
        await ResyncAsync(host, "the resync while the watch is away"); // the last complete read: away + 3
        Version(nodes, relisted).ShouldBe(away + 2);

        nodes.Restore(away + 1); // above the watch's version (410 for it), below the last complete read's
        nodes.SetReady(relisted, "False"); // re-written at away + 2, the version the graph holds
        simulator.Faults.Clear();
        simulator.Faults.Add(new FaultRule(FaultKind.Latency) { OnWatch = false, Times = 1, Delay = TimeSpan.FromSeconds(2) });
        await host.WaitUntilAsync(() => simulator.Faults.Fired[0] > 0, $"the list after the WatchList\n{host.Logs.Text}");
        nodes.Delete(gone);

        await host.WaitUntilAsync(() => host.Nodes()[relisted] == "NotReady", $"the node re-written at the held version\n{host.Logs.Text}");
        await host.WaitUntilAsync(() => !host.Nodes().ContainsKey(gone), $"the node deleted before the list\n{host.Logs.Text}");
        host.Nodes().OrderBy(n => n.Key, StringComparer.Ordinal).ShouldBe(PushHost.Expected(simulator).OrderBy(n => n.Key, StringComparer.Ordinal));
        host.Logs.Warnings.ShouldContain(w => w.Message.Contains("listing again at once", StringComparison.Ordinal));

        // The watch goes on from the list's version.
        nodes.SetReady(other, "False");
        await host.WaitUntilAsync(() => host.Nodes()[other] == "NotReady", "a watched change after the list");
    }

    // A resync, waited for until the host applied it to the graph (that comes after the driver's end).
    private static async Task ResyncAsync(PushHost host, string name)
    {
        static int Applied(PushHost host) => host.Logs.Entries.Count(e => e.Message.StartsWith("kubernetes snapshot applied", StringComparison.Ordinal));
        var applied = Applied(host);
        (await host.Runner().RunSnapshotAsync(DatasourceAction.Snapshot, TestContext.Current.CancellationToken)).ShouldBeTrue(name);
        await host.WaitUntilAsync(() => Applied(host) > applied, $"{name}: the resync in the graph");
    }

    private static PluginHost.Graph.VertexView Vertex(PushHost host, string node) =>
        host.Graph.LiveVertices.Single(v => v.Type == KubernetesEntityTypes.Node && v.Name == node);

    private static long? HeldVersion(PushHost host, string node) =>
        host.Graph.LiveVertices.SingleOrDefault(v => v.Type == KubernetesEntityTypes.Node && v.Name == node)?.Properties.GetValueOrDefault("resource_version") is string version
            ? long.Parse(version, System.Globalization.CultureInfo.InvariantCulture)
            : null;
}
