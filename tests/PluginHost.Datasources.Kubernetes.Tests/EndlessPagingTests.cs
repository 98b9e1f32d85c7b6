using PluginHost.Contracts;
using PluginHost.KubeApiSimulator;

namespace PluginHost.Datasources.Kubernetes.Tests;

/// <summary>A list that would never end fails the snapshot clearly, and soon (kubectl loops).</summary>
public sealed class EndlessPagingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAll_ContinueTokenRepeated_FailsAtTheRepetition()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 30 });
        cluster.Simulator.Faults.Add(new FaultRule(FaultKind.RepeatContinueToken));
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator), pageSize: 10);

        var error = await Should.ThrowAsync<DatasourceException>(() => SimulatedCluster.GetAllAsync(driver, Ct));

        error.Message.ShouldBe(
            $"GET /api/v1/nodes on {Server(cluster)}: page 2 returned a continue token an earlier page already returned, so the list would never end; the snapshot is abandoned (is a proxy caching the API?)");
        cluster.Simulator.Counters.NodeListRequests.ShouldBe(2);
    }

    [Fact]
    public async Task GetAll_NewTokensForEverWithRemainingItemCount_FailsAfterTheAnnouncedPagesPlusSlack()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 30 });
        cluster.Simulator.Faults.Add(new FaultRule(FaultKind.EndlessContinue));
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator), pageSize: 10);

        var error = await Should.ThrowAsync<DatasourceException>(() => SimulatedCluster.GetAllAsync(driver, Ct));

        // 30 nodes announced: 3 pages, plus 10 of slack for nodes added while listing.
        error.Message.ShouldBe(
            $"GET /api/v1/nodes on {Server(cluster)}: still paging after 13 pages of 10, though the first page announced 30 nodes at most; the snapshot is abandoned");
        cluster.Simulator.Counters.NodeListRequests.ShouldBe(3 + PagingGuard.SlackPages);
    }

    [Fact]
    public async Task GetAll_NewTokensForEverWithoutRemainingItemCount_FailsAtSnapshotTimeout()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 30 });
        cluster.Simulator.Faults.Add(new FaultRule(FaultKind.EndlessContinue) { RemainingItemCount = false });
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator), pageSize: 10, snapshotTimeout: 2);

        var error = await Should.ThrowAsync<DatasourceException>(() => SimulatedCluster.GetAllAsync(driver, Ct));

        error.Message.ShouldBe(
            $"the snapshot of {Server(cluster)} did not complete within 2 s ([kubernetes] snapshot_timeout); is the server paging for ever, or is the cluster larger than that allows?");
    }

    [Fact]
    public async Task GetAll_GoneAfterARepeatedLookingRestart_DoesNotMistakeTheRestartForARepetition()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 30 });
        cluster.Simulator.Faults.Add(new FaultRule(FaultKind.GoneOnContinue) { OnRequest = 2, Times = 1 });
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator), pageSize: 10);

        // page 1, page 2, 410 on page 3, then pages 1 to 3 again: their tokens repeat the first list's.
        var events = await SimulatedCluster.GetAllAsync(driver, Ct);

        events[^1].Properties.GetProperty("node_count").GetInt32().ShouldBe(30);
        cluster.Simulator.Counters.NodeListRequests.ShouldBe(6);
    }

    private static string Server(SimulatedCluster cluster) => cluster.Simulator.BaseUrl.ToString().TrimEnd('/');
}
