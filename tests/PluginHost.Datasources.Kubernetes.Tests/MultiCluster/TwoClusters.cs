using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests.MultiCluster;

/// <summary>
/// Two simulated clusters (contexts <c>prod-a</c> and <c>prod-b</c>, clusters <c>cluster-a</c> and
/// <c>cluster-b</c>) in one kubeconfig, and a vitrage.conf reading both with <c>contexts</c>.
/// </summary>
internal sealed class TwoClusters : IAsyncDisposable
{
    private TwoClusters(KubeApiSimulator.KubeApiSimulator a, KubeApiSimulator.KubeApiSimulator b, TempFolder folder)
    {
        A = a;
        B = b;
        Folder = folder;
    }

    public KubeApiSimulator.KubeApiSimulator A { get; }

    public KubeApiSimulator.KubeApiSimulator B { get; }

    public TempFolder Folder { get; }

    public string Kubeconfig => Folder.Combine("kubeconfig");

    public static async Task<TwoClusters> StartAsync(int nodesA, int nodesB, SimulatorOptions? template = null)
    {
        var options = template ?? new SimulatorOptions { Provider = ProviderMode.OpenStack };
        var a = await KubeApiSimulator.KubeApiSimulator.StartAsync(
            options with { NodeCount = nodesA, Seed = 1, ClusterName = "cluster-a", ContextName = "prod-a", UserName = "reader-a" },
            TestContext.Current.CancellationToken);
        var b = await KubeApiSimulator.KubeApiSimulator.StartAsync(
            options with { NodeCount = nodesB, Seed = 2, ClusterName = "cluster-b", ContextName = "prod-b", UserName = "reader-b" },
            TestContext.Current.CancellationToken);
        var clusters = new TwoClusters(a, b, new TempFolder());
        await KubeconfigWriter.WriteAsync([a, b], clusters.Kubeconfig);
        return clusters;
    }

    /// <summary>A vitrage.conf with the host's real plugin folder and <c>[kubernetes]</c> reading both contexts.</summary>
    public string Config(string kubernetes = "contexts = prod-a, prod-b", string sections = "") =>
        Folder.File("vitrage.conf", $"""
            [datasources]
            types = kubernetes
            plugin_path = {TestRepository.HostPluginFolder}
            [kubernetes]
            config_file = {Kubeconfig}
            {kubernetes}
            {sections}
            """);

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        Folder.Dispose();
    }
}
