using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Configuration;
using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.KubeApiSimulator;
using PluginHost.Scheduling;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests;

/// <summary>
/// The host pipeline (config → plugin from the real plugins folder → driver → queue → graph) on
/// the simulator, across snapshots.
/// </summary>
public sealed class KubernetesGraphTests
{
    private static async Task<DatasourceScheduler> StartHostAsync(SimulatedCluster cluster, TempFolder temp, string extra = "")
    {
        var config = temp.File("vitrage.conf", $"""
            [datasources]
            types = kubernetes
            plugin_path = {TestRepository.HostPluginFolder}
            [kubernetes]
            config_file = {cluster.Kubeconfig}
            page_size = 50
            {extra}
            """);
        var configuration = HostConfigurationLoader.Load(ConfigFileSet.Load([config], []));
        configuration.Datasources.Single().Plugin.Folder.ShouldStartWith(TestRepository.HostPluginFolder);
        await Task.Yield();
        return DatasourceScheduler.Create(configuration, NullLoggerFactory.Instance, TimeProvider.System);
    }

    private static GraphVertex Node(EntityGraph graph, string name) =>
        graph.Vertices.Where(v => v.Type == "kubernetes.node" && v.Name == name).OrderBy(v => v.IsDeleted).First();

    [Fact]
    public async Task Snapshot_VitrageSpecNode_BecomesTheExpectedVerticesAndEdges()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 0, IncludeVitrageSpecNode = true, ClusterName = "bcmt" });
        using var temp = new TempFolder();
        await using var host = await StartHostAsync(cluster, temp);

        (await host.SnapshotOnceAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();

        var graph = host.Graph;
        graph.LiveVertices.Select(v => v.Key).Order().ShouldBe(
        [
            "RESOURCE:kubernetes.node:68011206-d4d6-11e7-9c63-fa163e2e2123",
            "RESOURCE:kubernetes:bcmt",
            "RESOURCE:nova.instance:41c40aab-80e9-4bb6-a280-27976bfc811f",
        ]);
        graph.LiveEdges.Select(e => $"{e.Source.Type} {e.RelationshipType} {e.Target.Type}").Order().ShouldBe(
        [
            "kubernetes comprised kubernetes.node",
            "kubernetes comprised nova.instance",
            "nova.instance contains kubernetes.node",
        ]);
        var node = Node(graph, "bcmt-control-01");
        node.DatasourceName.ShouldBe("kubernetes");
        node.Properties["instance_id"].ShouldBe("41c40aab-80e9-4bb6-a280-27976bfc811f");
        graph.Find("RESOURCE:nova.instance:41c40aab-80e9-4bb6-a280-27976bfc811f")!.IsPlaceholder.ShouldBeTrue();
        graph.Find("RESOURCE:kubernetes:bcmt")!.IsPlaceholder.ShouldBeFalse();
    }

    [Fact]
    public async Task Snapshot_NodeAddedAndRemovedBetweenSnapshots_AddsAndDeletesExactlyThoseVertices()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 120, Provider = ProviderMode.OpenStack });
        using var temp = new TempFolder();
        await using var host = await StartHostAsync(cluster, temp);
        await host.SnapshotOnceAsync(TestContext.Current.CancellationToken);
        var before = host.Graph.LiveVertices.Select(v => v.Key).ToHashSet();
        var removed = cluster.Simulator.Nodes.Names[10];
        var removedKey = Node(host.Graph, removed).Key;
        var removedVm = Node(host.Graph, removed).Properties["instance_id"];

        cluster.Simulator.Nodes.Delete(removed);
        var added = cluster.Simulator.AddGeneratedNodes(1).Single();
        (await host.SnapshotOnceAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();

        var after = host.Graph.LiveVertices.Select(v => v.Key).ToHashSet();
        var addedNode = Node(host.Graph, added);
        before.Except(after).Order().ShouldBe(new[] { removedKey, $"RESOURCE:nova.instance:{removedVm}" }.Order());
        after.Except(before).Order().ShouldBe(new[] { addedNode.Key, $"RESOURCE:nova.instance:{addedNode.Properties["instance_id"]}" }.Order());
        host.Graph.Find(removedKey)!.IsDeleted.ShouldBeTrue();
        host.Graph.Find("RESOURCE:kubernetes:sim-cluster")!.Properties["node_count"].ShouldBe(120L);
    }

    [Fact]
    public async Task Snapshot_NodeChangedBetweenSnapshots_UpdatesOnlyThatVertexAndKeepsTheOthers()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 60, Provider = ProviderMode.OpenStack });
        using var temp = new TempFolder();
        await using var host = await StartHostAsync(cluster, temp);
        await host.SnapshotOnceAsync(TestContext.Current.CancellationToken);
        var names = cluster.Simulator.Nodes.Names;
        var flipped = names.First(n => Node(host.Graph, n).State == "Ready");
        var untouched = Node(host.Graph, names.Last(n => n != flipped));
        var untouchedProperties = untouched.Properties;

        cluster.Simulator.Nodes.SetReady(flipped, "False");
        await host.SnapshotOnceAsync(TestContext.Current.CancellationToken);

        Node(host.Graph, flipped).State.ShouldBe("NotReady");
        Node(host.Graph, flipped).Properties["resource_version"].ShouldBe(cluster.Simulator.Nodes.Get(flipped)!["metadata"]!["resourceVersion"]!.GetValue<string>());
        untouched.Properties.ShouldBeSameAs(untouchedProperties); // unchanged resourceVersion: not transformed again
        untouched.IsDeleted.ShouldBeFalse();
        host.Graph.LiveEdges.Count(e => e.RelationshipType != EdgeLabels.On).ShouldBe(60 * 3); // the alarms of NotReady nodes are on them
    }

    [Fact]
    public async Task Snapshot_ClusterUnchanged_IsRefreshedAndFollowsANodeToItsNewInstance()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 60, Provider = ProviderMode.OpenStack });
        using var temp = new TempFolder();
        await using var host = await StartHostAsync(cluster, temp);
        await host.SnapshotOnceAsync(TestContext.Current.CancellationToken);
        const string clusterKey = "RESOURCE:kubernetes:sim-cluster";
        var before = host.Graph.Find(clusterKey)!.Properties;
        var sampled = host.Graph.Find(clusterKey)!.SampleTimestamp;

        (await host.SnapshotOnceAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();

        var refreshed = host.Graph.Find(clusterKey)!;
        refreshed.Properties.ShouldBeSameAs(before); // not transformed again
        refreshed.SampleTimestamp.ShouldBeGreaterThanOrEqualTo(sampled);
        ComprisedInstances(host.Graph, clusterKey).Count.ShouldBe(60); // its edges were reported again, none deleted

        var moved = cluster.Simulator.Nodes.Names[7];
        var oldInstance = Node(host.Graph, moved).Properties["instance_id"];
        var newInstance = Guid.NewGuid().ToString();
        cluster.Simulator.Nodes.Modify(moved, node => node["spec"]!["providerID"] = "openstack:///" + newInstance);
        (await host.SnapshotOnceAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();

        var comprised = ComprisedInstances(host.Graph, clusterKey);
        comprised.ShouldContain($"RESOURCE:nova.instance:{newInstance}");
        comprised.ShouldNotContain($"RESOURCE:nova.instance:{oldInstance}");
        comprised.Count.ShouldBe(60);
    }

    // What a static file links to a node's VM, the same edge the Kubernetes datasource reports.
    public static TheoryData<string, string, string, string> SharedEdges => new()
    {
        // name, the static entity's type, its id ("{uid}": the node's), the relationship
        { "the cluster's comprised edge to the VM", "kubernetes", "sim-cluster", "{source: k, target: vm, relationship_type: comprised}" },
        { "the node's contains edge from its VM", "kubernetes.node", "{uid}", "{source: vm, target: k, relationship_type: contains}" },
    };

    [Theory]
    [MemberData(nameof(SharedEdges))]
    public async Task Snapshot_AnEdgeStaticTookOverAndDropped_ComesBackWithTheNextUnchangedSnapshot(
        string name, string type, string id, string relationship)
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 20, Provider = ProviderMode.OpenStack });
        using var temp = new TempFolder();
        var folder = temp.Combine("static");
        Directory.CreateDirectory(folder);
        var config = temp.File("vitrage.conf", $"""
            [datasources]
            types = kubernetes, static
            plugin_path = {TestRepository.HostPluginFolder}
            [kubernetes]
            config_file = {cluster.Kubeconfig}
            [static]
            directory = {folder}
            """);
        await using var host = DatasourceScheduler.Create(HostConfigurationLoader.Load(ConfigFileSet.Load([config], [])), NullLoggerFactory.Instance, TimeProvider.System);
        var kubernetes = host.Runners.Single(r => r.Name == "kubernetes");
        var statics = host.Runners.Single(r => r.Name == "static");
        (await kubernetes.RunSnapshotAsync(DatasourceAction.InitSnapshot, cancellation)).ShouldBeTrue(name);
        await host.DrainAsync(cancellation);
        var node = Node(host.Graph, cluster.Simulator.Nodes.Names[4]);
        var instance = (string)node.Properties["instance_id"]!;
        List<string> LiveEdges() => host.Graph.LiveEdges.Select(e => $"{e.Source.Key} {e.RelationshipType} {e.Target.Key}").Order(StringComparer.Ordinal).ToList();
        var before = LiveEdges();
        string StaticFile(bool linked) => $$"""
            metadata:
              name: extra
            definitions:
              entities:
                - {static_id: k, type: {{type}}, id: '{{id.Replace("{uid}", node.Id, StringComparison.Ordinal)}}'}
                - {static_id: vm, type: nova.instance, id: '{{instance}}'}
              relationships: {{(linked ? "\n    - " + relationship : "[]")}}
            """;

        // static links the same two vertices (the edge is now static's), then no longer does (static deletes it)
        await File.WriteAllTextAsync(Path.Combine(folder, "extra.yaml"), StaticFile(linked: true), cancellation);
        (await statics.RunSnapshotAsync(DatasourceAction.InitSnapshot, cancellation)).ShouldBeTrue(name);
        await File.WriteAllTextAsync(Path.Combine(folder, "extra.yaml"), StaticFile(linked: false), cancellation);
        (await statics.RunSnapshotAsync(DatasourceAction.Snapshot, cancellation)).ShouldBeTrue(name);
        (await kubernetes.RunSnapshotAsync(DatasourceAction.Snapshot, cancellation)).ShouldBeTrue(name);
        await host.DrainAsync(cancellation);

        // Kubernetes reported the edge again, unchanged: it is back, and every other edge is as it was
        LiveEdges().ShouldBe(before, name);
    }

    private static List<string> ComprisedInstances(EntityGraph graph, string clusterKey) =>
        graph.LiveEdges.Where(e => e.RelationshipType == EdgeLabels.Comprised && e.Source.Key == clusterKey && e.Target.Type == "nova.instance")
            .Select(e => e.Target.Key).ToList();

    [Fact]
    public async Task Snapshot_OnlyTheHealthChanged_KeepsTheHeldValuesAndStrings()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 3, Provider = ProviderMode.OpenStack });
        using var temp = new TempFolder();
        await using var host = await StartHostAsync(cluster, temp);
        await host.SnapshotOnceAsync(TestContext.Current.CancellationToken);
        var flipped = cluster.Simulator.Nodes.Names[1];
        var before = Node(host.Graph, flipped).Properties;

        cluster.Simulator.Nodes.SetReady(flipped, "False");
        await host.SnapshotOnceAsync(TestContext.Current.CancellationToken);

        var after = Node(host.Graph, flipped).Properties;
        after.ShouldNotBeSameAs(before);
        after.Keys.ShouldBe(before.Keys); // same names, same order
        foreach (var described in new[] { "addresses", "labels", "node_info", "capacity", "allocatable", "pod_cidrs" })
        {
            after[described].ShouldBeSameAs(before[described], described); // the held value, not an equal copy
        }

        after["conditions"].ShouldNotBeSameAs(before["conditions"]);
        JsonSerializer.Serialize(after["conditions"]).ShouldContain("\"status\":\"False\"");
        after["name"].ShouldBeSameAs(before["name"]);
        after["instance_id"].ShouldBeSameAs(before["instance_id"]);
        after["resource_version"].ShouldNotBe(before["resource_version"]);
    }

    [Fact]
    public async Task Snapshot_NodeRecreatedWithNewUid_IsANewVertex()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 5 });
        using var temp = new TempFolder();
        await using var host = await StartHostAsync(cluster, temp);
        await host.SnapshotOnceAsync(TestContext.Current.CancellationToken);
        var name = cluster.Simulator.Nodes.Names[2];
        var oldKey = Node(host.Graph, name).Key;

        cluster.Simulator.Nodes.Modify(name, node => node["metadata"]!["uid"] = Guid.NewGuid().ToString());
        await host.SnapshotOnceAsync(TestContext.Current.CancellationToken);

        host.Graph.Find(oldKey)!.IsDeleted.ShouldBeTrue();
        var current = host.Graph.Vertices.Single(v => v.Type == "kubernetes.node" && v.Name == name && !v.IsDeleted);
        current.Key.ShouldNotBe(oldKey);
        current.VitrageId.ShouldNotBe(host.Graph.Find(oldKey)!.VitrageId);
    }

    [Theory]
    [InlineData("500 on the second page", FaultKind.InternalError)]
    [InlineData("connection reset on the second page", FaultKind.ResetMidBody)]
    [InlineData("malformed second page", FaultKind.MalformedJson)]
    public async Task Snapshot_FailsMidList_DeletesNothingFromTheGraph(string name, FaultKind kind)
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 120 });
        using var temp = new TempFolder();
        await using var host = await StartHostAsync(cluster, temp);
        await host.SnapshotOnceAsync(TestContext.Current.CancellationToken);
        var before = host.Graph.LiveVertices.Select(v => v.Key).Order().ToList();
        cluster.Simulator.Nodes.Delete(cluster.Simulator.Nodes.Names[^1]); // would be deleted by a complete snapshot
        cluster.Simulator.Faults.Add(new FaultRule(kind) { OnRequest = 2 }); // counted from now: the second page

        var failed = await host.SnapshotOnceAsync(TestContext.Current.CancellationToken);

        failed.ShouldBe(["kubernetes"], name);
        host.Graph.LiveVertices.Select(v => v.Key).Order().ToList().ShouldBe(before, name);
        host.Runners.Single().Status.Current.LastError.ShouldNotBeNull(name);
    }

    // case, indexes (in list order, 120 nodes in pages of 50) of the nodes deleted as the continue token expires
    public static TheoryData<string, int[]> DeletedAsTheListExpired => new()
    {
        { "a node of the page read before the 410", [10] },
        { "two nodes of that page, one of them its last", [0, 49] },
        { "a node of a page not read before the 410", [100] },
        { "one node read before the 410 and one after", [3, 77] },
    };

    [Theory]
    [MemberData(nameof(DeletedAsTheListExpired))]
    public async Task Snapshot_GoneMidListAndNodesDeletedMeanwhile_EndsAsACleanSnapshotOfTheRestartedList(string name, int[] deleted)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 120, Provider = ProviderMode.OpenStack });
        using var temp = new TempFolder();
        await using var host = await StartHostAsync(cluster, temp);
        await host.SnapshotOnceAsync(ct);
        var names = deleted.Select(i => cluster.Simulator.Nodes.Names[i]).ToArray();
        var deletedKeys = names.Select(n => Node(host.Graph, n).Key).ToArray();
        cluster.Simulator.Faults.Add(new FaultRule(FaultKind.GoneOnContinue) { OnRequest = 1, Times = 1, DeleteNodes = names });

        (await host.SnapshotOnceAsync(ct)).ShouldBeEmpty(name);

        cluster.Simulator.Faults.Fired.ShouldBe([1], name);
        using var cleanTemp = new TempFolder();
        await using var clean = await StartHostAsync(cluster, cleanTemp);
        (await clean.SnapshotOnceAsync(ct)).ShouldBeEmpty(name);
        host.Graph.LiveVertices.Select(v => v.Key).Order().ShouldBe(clean.Graph.LiveVertices.Select(v => v.Key).Order(), name);
        host.Graph.LiveEdges.Select(e => $"{e.Source.Key} {e.RelationshipType} {e.Target.Key}").Order()
            .ShouldBe(clean.Graph.LiveEdges.Select(e => $"{e.Source.Key} {e.RelationshipType} {e.Target.Key}").Order(), name);
        deletedKeys.ShouldAllBe(k => host.Graph.Find(k)!.IsDeleted, name);
        host.Graph.Find("RESOURCE:kubernetes:sim-cluster")!.Properties["node_count"].ShouldBe((long)(120 - names.Length), name);
    }

    // case, the Ready status the node is re-written with after the restore, snapshots that fail on their second page before one completes
    public static TheoryData<string, string, int> RestoredClusters => new()
    {
        { "re-written NotReady", "False", 0 },
        { "re-written Unknown", "Unknown", 0 },
        { "re-written NotReady, the first snapshot after the restore fails mid-list", "False", 1 },
    };

    // An etcd restore turns the cluster's resourceVersion back: a node re-written after it can get
    // the very version the graph holds from before, with other content. A refresh (same version,
    // nothing transformed) would keep the old content; the snapshot must show the new one at once.
    [Theory]
    [MemberData(nameof(RestoredClusters))]
    public async Task Snapshot_ResourceVersionWentBackAndANodeWasRewrittenAtAVersionTheGraphHolds_ShowsItsNewContent(string name, string ready, int failedFirst)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 120 });
        using var temp = new TempFolder();
        await using var host = await StartHostAsync(cluster, temp);
        var nodes = cluster.Simulator.Nodes;
        // In the last page: a snapshot that fails on its second page never reads it.
        var rewritten = nodes.Names.Last(n => nodes.Get(n)!["status"]!["conditions"]!.AsArray().Any(c => c!["type"]!.GetValue<string>() == "Ready" && c["status"]!.GetValue<string>() == "True"));
        nodes.SetReady(rewritten, "True"); // the node's version: below the list's once another node changed
        var held = nodes.ResourceVersion;
        nodes.SetReady(nodes.Names.First(n => n != rewritten), "True");
        await host.SnapshotOnceAsync(ct);
        Node(host.Graph, rewritten).Properties["resource_version"].ShouldBe(held.ToString(System.Globalization.CultureInfo.InvariantCulture), name);
        Node(host.Graph, rewritten).State.ShouldBe("Ready", name);

        nodes.Restore(held - 1);
        nodes.SetReady(rewritten, ready); // re-written at the version the graph holds
        nodes.Get(rewritten)!["metadata"]!["resourceVersion"]!.GetValue<string>().ShouldBe(held.ToString(System.Globalization.CultureInfo.InvariantCulture), name);
        if (failedFirst > 0)
        {
            cluster.Simulator.Faults.Add(new FaultRule(FaultKind.InternalError) { OnRequest = 2, Times = 1 });
            (await host.SnapshotOnceAsync(ct)).ShouldBe(["kubernetes"], name);
        }

        (await host.SnapshotOnceAsync(ct)).ShouldBeEmpty(name);

        var expected = ready == "False" ? "NotReady" : "Unknown";
        Node(host.Graph, rewritten).State.ShouldBe(expected, name);
        host.Graph.LiveVertices.ShouldContain(v => v.Type == "kubernetes.node.condition" && v.Name == (ready == "False" ? "NodeNotReady" : "NodeStatusUnknown")
            && v.Properties["resource_name"] as string == rewritten, name);

        // Steady again: the snapshot after the next one (which gives the nodes their versions back)
        // refreshes the unchanged nodes instead of transforming them.
        (await host.SnapshotOnceAsync(ct)).ShouldBeEmpty(name);
        var before = Node(host.Graph, rewritten).Properties;
        (await host.SnapshotOnceAsync(ct)).ShouldBeEmpty(name);
        Node(host.Graph, rewritten).Properties.ShouldBeSameAs(before, name);
        Node(host.Graph, rewritten).State.ShouldBe(expected, name);
    }

    [Fact]
    public async Task SnapshotVerb_PluginInTheRealPluginsFolder_PrintsTheClusterGraph()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions
        {
            NodeCount = 600, Provider = ProviderMode.OpenStack, Https = true, Auth = SimulatorAuth.Token, IncludeVitrageSpecNode = true,
        });
        using var temp = new TempFolder();
        var config = temp.File("vitrage.conf", $"[datasources]\ntypes = kubernetes\n[kubernetes]\nconfig_file = {cluster.Kubeconfig}\n");

        var result = await HostProcess.RunAsync("snapshot", "--config-file", config, "--format", "json");

        result.ExitCode.ShouldBe(0, result.Stderr);
        using var graph = JsonDocument.Parse(result.Stdout);
        var nodes = graph.RootElement.GetProperty("nodes").EnumerateArray().ToList();
        nodes.Count(n => n.GetProperty("vitrage_type").GetString() == "kubernetes.node").ShouldBe(601);
        nodes.Count(n => n.GetProperty("vitrage_type").GetString() == "nova.instance").ShouldBe(601);
        nodes.Single(n => n.GetProperty("vitrage_type").GetString() == "kubernetes").GetProperty("node_count").GetInt32().ShouldBe(601);
        graph.RootElement.GetProperty("links").EnumerateArray().Count(l => l.GetProperty("relationship_type").GetString() != EdgeLabels.On)
            .ShouldBe(601 * 3); // besides the alarms on NotReady and cordoned nodes
        cluster.Simulator.Counters.NodeListRequests.ShouldBe(2);
        result.Stderr.ShouldNotContain(cluster.Simulator.Options.Token);
    }
}
