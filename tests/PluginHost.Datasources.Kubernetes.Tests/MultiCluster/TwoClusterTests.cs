using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Configuration;
using PluginHost.Graph;
using PluginHost.KubeApiSimulator;
using PluginHost.Scheduling;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests.MultiCluster;

/// <summary>
/// <c>contexts = prod-a, prod-b</c>: one datasource per cluster, each with its own cluster vertex,
/// schedule, backoff and deletions; a failing cluster never removes or freezes the other's nodes.
/// </summary>
public sealed class TwoClusterTests
{
    private static DatasourceScheduler StartHost(string config)
    {
        var configuration = HostConfigurationLoader.Load(ConfigFileSet.Load([config], []));
        return DatasourceScheduler.Create(configuration, NullLoggerFactory.Instance, TimeProvider.System);
    }

    private static List<string> LiveNodes(EntityGraph graph, string datasource) =>
        graph.LiveVertices.Where(v => v.Type == "kubernetes.node" && v.DatasourceName == datasource).Select(v => v.Name!).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Snapshot_TwoContexts_EachClusterIsADatasourceWithItsOwnClusterVertex()
    {
        await using var clusters = await TwoClusters.StartAsync(nodesA: 5, nodesB: 3);
        await using var host = StartHost(clusters.Config());

        (await host.SnapshotOnceAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();

        host.Runners.Select(r => r.Name).Order(StringComparer.Ordinal).ShouldBe(["kubernetes/prod-a", "kubernetes/prod-b"]);
        LiveNodes(host.Graph, "kubernetes/prod-a").ShouldBe(clusters.A.Nodes.Names);
        LiveNodes(host.Graph, "kubernetes/prod-b").ShouldBe(clusters.B.Nodes.Names);
        var a = host.Graph.Find("RESOURCE:kubernetes:cluster-a")!;
        var b = host.Graph.Find("RESOURCE:kubernetes:cluster-b")!;
        (a.DatasourceName, a.Properties["context"], a.Properties["node_count"]).ShouldBe(("kubernetes/prod-a", "prod-a", 5L));
        (b.DatasourceName, b.Properties["context"], b.Properties["node_count"]).ShouldBe(("kubernetes/prod-b", "prod-b", 3L));
        host.Graph.LiveEdges.Count(e => e.RelationshipType == "comprised" && e.Source == a && e.Target.Type == "kubernetes.node").ShouldBe(5);
        host.Graph.LiveEdges.Count(e => e.RelationshipType == "comprised" && e.Source == b && e.Target.Type == "kubernetes.node").ShouldBe(3);
    }

    [Theory]
    [InlineData("500 on every request", FaultKind.InternalError)]
    [InlineData("401 on every request", FaultKind.Unauthorized)]
    public async Task Snapshot_OneClusterFails_TheOtherIsUpdatedAndTheFailingOneKeepsItsNodes(string name, FaultKind fault)
    {
        await using var clusters = await TwoClusters.StartAsync(nodesA: 6, nodesB: 4);
        await using var host = StartHost(clusters.Config());
        await host.SnapshotOnceAsync(TestContext.Current.CancellationToken);
        var nodesOfB = clusters.B.Nodes.Names;
        clusters.B.Faults.Add(new FaultRule(fault) { PathPrefix = "/" });
        clusters.B.Nodes.Delete(nodesOfB[0]); // a complete snapshot would delete it; a failed one must not
        clusters.A.Nodes.Delete(clusters.A.Nodes.Names[0]);
        clusters.A.Nodes.SetReady(clusters.A.Nodes.Names[1], "False");

        var failed = await host.SnapshotOnceAsync(TestContext.Current.CancellationToken);

        failed.ShouldBe(["kubernetes/prod-b"], name);
        LiveNodes(host.Graph, "kubernetes/prod-a").ShouldBe(clusters.A.Nodes.Names, name);
        host.Graph.LiveVertices.Single(v => v.Name == clusters.A.Nodes.Names[1]).State.ShouldBe("NotReady", name);
        LiveNodes(host.Graph, "kubernetes/prod-b").ShouldBe(nodesOfB, name);
        host.Graph.Find("RESOURCE:kubernetes:cluster-b")!.IsDeleted.ShouldBeFalse(name);
        var statuses = host.Runners.ToDictionary(r => r.Name, r => r.Status.Current);
        statuses["kubernetes/prod-a"].State.ShouldBe("ok", name);
        statuses["kubernetes/prod-b"].State.ShouldBe("failing", name);
        statuses["kubernetes/prod-b"].LastError.ShouldNotBeNull().ShouldContain(clusters.B.BaseUrl.ToString().TrimEnd('/'), Case.Sensitive, name);
    }

    [Fact]
    public async Task CheckConfigAndPlugins_Contexts_NameEachContextsDatasource()
    {
        await using var clusters = await TwoClusters.StartAsync(nodesA: 1, nodesB: 1);
        var config = clusters.Config();

        var check = await HostProcess.RunAsync("check-config", "--config-file", config);
        var plugins = await HostProcess.RunAsync("plugins", "--config-file", config);
        var pluginsJson = await HostProcess.RunAsync("plugins", "--config-file", config, "--format", "json");

        check.ExitCode.ShouldBe(0, check.Stderr);
        check.Stdout.ShouldContain("Enabled datasources: kubernetes/prod-a, kubernetes/prod-b");
        plugins.ExitCode.ShouldBe(0, plugins.Stderr);
        plugins.Stdout.ShouldContain("(enabled: kubernetes/prod-a, kubernetes/prod-b)");
        using var document = JsonDocument.Parse(pluginsJson.Stdout);
        var kubernetes = document.RootElement.GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "kubernetes");
        kubernetes.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        kubernetes.GetProperty("datasources").EnumerateArray().Select(d => d.GetString()).ShouldBe(["kubernetes/prod-a", "kubernetes/prod-b"]);
    }

    [Fact]
    public async Task CheckConfig_ContextsWithClusterName_ExitsTwoSayingWhy()
    {
        await using var clusters = await TwoClusters.StartAsync(nodesA: 1, nodesB: 1);

        var check = await HostProcess.RunAsync("check-config", "--config-file", clusters.Config("contexts = *\ncluster_name = edge"));

        check.ExitCode.ShouldBe(2, check.Stdout);
        check.Stderr.ShouldContain("[kubernetes] cluster_name names one cluster vertex", Case.Sensitive);
    }

    [Fact]
    public async Task SnapshotVerb_OneClusterFails_ExitsOnePrintsTheOtherAndLogsNameTheContext()
    {
        await using var clusters = await TwoClusters.StartAsync(nodesA: 4, nodesB: 2);
        clusters.B.Faults.Add(new FaultRule(FaultKind.InternalError) { PathPrefix = "/" });

        var result = await HostProcess.RunAsync("snapshot", "--config-file", clusters.Config("contexts = *"), "--format", "json");

        result.ExitCode.ShouldBe(1, result.Stderr);
        result.Stderr.ShouldContain("datasource kubernetes/prod-b failed: GET /api/v1/nodes on " + clusters.B.BaseUrl.ToString().TrimEnd('/'));
        result.Stderr.ShouldNotContain("kubernetes/prod-a failed");
        using var graph = JsonDocument.Parse(result.Stdout);
        graph.RootElement.GetProperty("nodes").EnumerateArray()
            .Where(n => n.GetProperty("vitrage_type").GetString() == "kubernetes.node")
            .Select(n => n.GetProperty("name").GetString()).Order(StringComparer.Ordinal).ShouldBe(clusters.A.Nodes.Names);
        result.Stderr.ShouldNotContain(clusters.A.Options.Token);
    }
}
