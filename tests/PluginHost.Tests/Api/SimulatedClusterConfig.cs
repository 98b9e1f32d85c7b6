using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Api;

/// <summary>A simulated OpenStack cluster and a vitrage.conf that points the host's real Kubernetes plugin at it.</summary>
internal sealed class SimulatedClusterConfig : IAsyncDisposable
{
    private SimulatedClusterConfig(KubeApiSimulator.KubeApiSimulator simulator, TempFolder folder, string configFile)
    {
        Simulator = simulator;
        Folder = folder;
        ConfigFile = configFile;
    }

    public KubeApiSimulator.KubeApiSimulator Simulator { get; }

    public TempFolder Folder { get; }

    public string ConfigFile { get; }

    /// <param name="api">Lines of the <c>[api]</c> section.</param>
    /// <param name="sections">More sections.</param>
    public static async Task<SimulatedClusterConfig> CreateAsync(int nodes, string api = "", string sections = "")
    {
        var simulator = await KubeApiSimulator.KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = nodes, Provider = ProviderMode.OpenStack });
        var folder = new TempFolder();
        var kubeconfig = folder.Combine("kubeconfig");
        await simulator.WriteKubeconfigAsync(kubeconfig);
        var config = folder.File("vitrage.conf", $"""
            [datasources]
            types = kubernetes
            plugin_path = {TestRepository.HostPluginFolder}
            [api]
            {api}
            [kubernetes]
            config_file = {kubeconfig}
            {sections}
            """);
        return new SimulatedClusterConfig(simulator, folder, config);
    }

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        Folder.Dispose();
    }
}
