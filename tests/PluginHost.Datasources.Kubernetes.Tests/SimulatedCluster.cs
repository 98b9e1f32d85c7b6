using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Contracts;
using PluginHost.KubeApiSimulator;

namespace PluginHost.Datasources.Kubernetes.Tests;

/// <summary>A running simulator, its kubeconfig, and the plugin's driver pointed at it.</summary>
internal sealed class SimulatedCluster : IAsyncDisposable
{
    private SimulatedCluster(KubeApiSimulator.KubeApiSimulator simulator, string folder)
    {
        Simulator = simulator;
        Folder = folder;
        Kubeconfig = Path.Combine(folder, "kubeconfig");
    }

    public KubeApiSimulator.KubeApiSimulator Simulator { get; }

    public string Folder { get; }

    public string Kubeconfig { get; }

    public static async Task<SimulatedCluster> StartAsync(SimulatorOptions options, string? token = null, bool clientCertificate = false)
    {
        var simulator = await KubeApiSimulator.KubeApiSimulator.StartAsync(options, TestContext.Current.CancellationToken);
        var cluster = new SimulatedCluster(simulator, Directory.CreateTempSubdirectory("k8s-plugin-test-").FullName);
        await simulator.WriteKubeconfigAsync(cluster.Kubeconfig, token, clientCertificate);
        return cluster;
    }

    public static DatasourceSettings Settings(
        string configFile, int pageSize = 500, int requestTimeout = 60, string context = "", string clusterName = "",
        int snapshotTimeout = 300, int maxPageBytes = 64 << 20, IReadOnlyList<string>? contexts = null,
        string updateMethod = "none", string useWatchList = "auto") =>
        new(new Dictionary<string, object?>
        {
            ["config_file"] = configFile,
            ["context"] = context,
            ["contexts"] = contexts ?? [],
            ["cluster_name"] = clusterName,
            ["page_size"] = (long)pageSize,
            ["request_timeout"] = (long)requestTimeout,
            ["snapshot_timeout"] = (long)snapshotTimeout,
            ["max_page_bytes"] = (long)maxPageBytes,
            ["include_annotations"] = false,
            ["instance_id_from_system_uuid"] = false,
            ["alarms_file"] = string.Empty,
            ["update_method"] = updateMethod,
            ["use_watch_list"] = useWatchList,
        });

    public static IDatasourceDriver CreateDriver(DatasourceSettings settings, ILogger? logger = null) =>
        new KubernetesDatasourcePlugin().CreateDriver(
            new DatasourceContext("kubernetes", settings, logger ?? NullLogger.Instance, TimeProvider.System));

    public IDatasourceDriver CreateDriver(int pageSize = 500, int requestTimeout = 60) => CreateDriver(Settings(Kubeconfig, pageSize, requestTimeout));

    /// <summary>Writes a file into the cluster's folder and returns its path.</summary>
    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(Folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Writes an executable shell script (an exec credential plugin) and returns its path.</summary>
    public string WriteScript(string name, string body)
    {
        var path = WriteFile(name, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    /// <summary>A driver for a kubeconfig written into the cluster's folder.</summary>
    public IDatasourceDriver CreateDriver(string kubeconfigText, ILogger? logger = null, int pageSize = 500, int requestTimeout = 60, int snapshotTimeout = 300, int maxPageBytes = 64 << 20) =>
        CreateDriver(Settings(WriteFile("custom.kubeconfig", kubeconfigText), pageSize, requestTimeout, snapshotTimeout: snapshotTimeout, maxPageBytes: maxPageBytes), logger);

    public static Task<List<DatasourceEvent>> GetAllAsync(IDatasourceDriver driver, CancellationToken cancellationToken = default) =>
        GetAllAsync(driver, DatasourceAction.Snapshot, cancellationToken);

    public static async Task<List<DatasourceEvent>> GetAllAsync(IDatasourceDriver driver, DatasourceAction action, CancellationToken cancellationToken)
    {
        var events = new List<DatasourceEvent>();
        await foreach (var e in driver.GetAllAsync(action, cancellationToken))
        {
            events.Add(e);
        }

        return events;
    }

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
