using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Contracts;
using PluginHost.Datasources.Kubernetes.Connection;
using PluginHost.KubeApiSimulator;

namespace PluginHost.Datasources.Kubernetes.Tests.Connection;

/// <summary>A pod's service account: the API from the environment, the CA and a token that rotates.</summary>
[Collection(nameof(EnvironmentVariableCollection))]
public sealed class InClusterTests
{
    [Fact]
    public async Task GetAll_ServiceAccount_ConnectsAndPicksUpTheRotatedToken()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 2, Https = true, Auth = SimulatorAuth.Token });
        var account = Path.Combine(cluster.Folder, "serviceaccount");
        cluster.WriteFile("serviceaccount/token", "simulator-token");
        cluster.WriteFile("serviceaccount/ca.crt", SimulatorCertificates.ToPem(cluster.Simulator.Certificates!.Authority));
        var previous = (Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"), Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT"));
        Environment.SetEnvironmentVariable("KUBERNETES_SERVICE_HOST", "127.0.0.1");
        Environment.SetEnvironmentVariable("KUBERNETES_SERVICE_PORT", cluster.Simulator.BaseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            InClusterConfig.IsAvailable(account).ShouldBeTrue();
            var settings = SimulatedCluster.Settings(string.Empty);
            var options = KubernetesOptions.From(settings);
            var connection = KubeconfigLoader.Connect(InClusterConfig.Create(account), options, TimeProvider.System);
            await using var driver = new KubernetesDriver(
                new DatasourceContext("kubernetes", settings, NullLogger.Instance, TimeProvider.System), options, connection);

            var events = await SimulatedCluster.GetAllAsync(driver, TestContext.Current.CancellationToken);
            cluster.Simulator.AcceptedToken = "rotated-token";
            cluster.WriteFile("serviceaccount/token", "rotated-token");
            var again = await SimulatedCluster.GetAllAsync(driver, TestContext.Current.CancellationToken);

            events.Count.ShouldBe(3);
            again.Count.ShouldBe(3);
            events[^1].Properties.GetProperty("name").GetString().ShouldBe("in-cluster");
        }
        finally
        {
            Environment.SetEnvironmentVariable("KUBERNETES_SERVICE_HOST", previous.Item1);
            Environment.SetEnvironmentVariable("KUBERNETES_SERVICE_PORT", previous.Item2);
        }
    }
}
