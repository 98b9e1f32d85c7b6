using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests;

/// <summary>Nodes no transformer can use are skipped with one warning; the snapshot completes.</summary>
public sealed class InvalidNodeTests
{
    [Fact]
    public async Task GetAll_NodesNotUtf8WithoutUidOrWithARepeatedUid_AreSkippedWithOneWarningNamingThem()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 4, InvalidNodes = true });
        var logger = new CapturingLogger();
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator), logger, pageSize: 3);
        var first = cluster.Simulator.Nodes.Names[0];
        var firstUid = cluster.Simulator.Nodes.Get(first)!["metadata"]!["uid"]!.GetValue<string>();

        var events = await SimulatedCluster.GetAllAsync(driver, TestContext.Current.CancellationToken);

        events.Count(e => e.EntityType == KubernetesEntityTypes.Node).ShouldBe(4);
        events[^1].Properties.GetProperty("node_count").GetInt32().ShouldBe(4);
        logger.Warnings.ShouldHaveSingleItem().ShouldBe(
            $"Kubernetes {cluster.Simulator.BaseUrl.ToString().TrimEnd('/')}: skipped 3 of 7 nodes (1 not valid UTF-8 JSON, 1 without metadata.uid, 1 repeating another node's uid): " +
            $"zz-duplicate-uid (uid {firstUid} of {first}), zz-invalid-utf8 (not UTF-8), zz-without-uid (no metadata.uid)");
        logger.Entries.ShouldAllBe(e => !e.Message.Contains('\n', StringComparison.Ordinal));
    }
}
