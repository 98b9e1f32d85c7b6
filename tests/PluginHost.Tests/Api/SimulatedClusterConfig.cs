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

    /// <summary>The host's state folder (its alarm history), in the test's folder.</summary>
    public string StateDir => Folder.Combine("state");

    /// <param name="api">Lines of the <c>[api]</c> section.</param>
    /// <param name="sections">More sections.</param>
    /// <param name="healthy">Every node Ready and schedulable, so the cluster raises no alarm until a test makes one
    /// (as the cluster of the captured Vitrage answers had none); else the generator's few NotReady and cordoned nodes.</param>
    public static async Task<SimulatedClusterConfig> CreateAsync(int nodes, string api = "", string sections = "", bool healthy = true)
    {
        var simulator = await KubeApiSimulator.KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = nodes, Provider = ProviderMode.OpenStack });
        foreach (var name in healthy ? simulator.Nodes.Names : [])
        {
            simulator.Nodes.SetReady(name, "True");
            simulator.Nodes.SetUnschedulable(name, false);
        }

        var folder = new TempFolder();
        var kubeconfig = folder.Combine("kubeconfig");
        await simulator.WriteKubeconfigAsync(kubeconfig);
        var config = folder.File("vitrage.conf", $"""
            [datasources]
            types = kubernetes
            plugin_path = {TestRepository.HostPluginFolder}
            [plugin_host]
            state_dir = {folder.Combine("state")}
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
