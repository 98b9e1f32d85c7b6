using PluginHost.Contracts;
using PluginHost.KubeApiSimulator;

namespace PluginHost.Datasources.Kubernetes.Tests.Connection;

/// <summary>A redirect is followed only on the same server; anywhere else it fails, naming the target.</summary>
public sealed class RedirectTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAll_RedirectToAnotherSchemeAndPort_IsRefusedNamingTheTargetWhichGetsNothing()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 1, Https = true, Auth = SimulatorAuth.Token });
        await using var elsewhere = await KubeApiSimulator.KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 1 }, Ct);
        cluster.Simulator.Faults.Add(new FaultRule(FaultKind.Redirect) { Location = elsewhere.BaseUrl });
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator));

        var error = await Should.ThrowAsync<DatasourceException>(() => SimulatedCluster.GetAllAsync(driver, Ct));

        var server = cluster.Simulator.BaseUrl.ToString().TrimEnd('/');
        error.Message.ShouldBe(
            $"GET /api/v1/nodes on {server} answered 302 Found, a redirect to {elsewhere.BaseUrl}api/v1/nodes: not followed, because it leaves {server}/ (another scheme, host or port) and the request carries credentials; point the kubeconfig's server at the API server itself");
        elsewhere.Counters.Total.ShouldBe(0);
    }

    [Fact]
    public async Task GetAll_RedirectOnTheSameServer_IsFollowed()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 3, Https = true, Auth = SimulatorAuth.Token });
        cluster.Simulator.Faults.Add(new FaultRule(FaultKind.Redirect) { Times = 1 });
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator));

        (await SimulatedCluster.GetAllAsync(driver, Ct)).Count.ShouldBe(4);

        cluster.Simulator.Counters.NodeListRequests.ShouldBe(2);
    }

    [Fact]
    public async Task GetAll_RedirectLoopOnTheSameServer_StopsAfterTenRedirects()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 1 });
        cluster.Simulator.Faults.Add(new FaultRule(FaultKind.Redirect));
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator));

        var error = await Should.ThrowAsync<DatasourceException>(() => SimulatedCluster.GetAllAsync(driver, Ct));

        error.Message.ShouldEndWith($": more than 10 redirects, the last to {cluster.Simulator.BaseUrl}api/v1/nodes");
        cluster.Simulator.Counters.NodeListRequests.ShouldBe(11);
    }
}
