using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Configuration;
using PluginHost.KubeApiSimulator;
using PluginHost.Scheduling;

namespace PluginHost.Benchmarks;

/// <summary>A simulated cluster and the real host pipeline with the real Kubernetes plugin pointed at it.</summary>
internal sealed class BenchmarkCluster : IAsyncDisposable
{
    private BenchmarkCluster(KubeApiSimulator.KubeApiSimulator simulator, string folder)
    {
        Simulator = simulator;
        Folder = folder;
    }

    public KubeApiSimulator.KubeApiSimulator Simulator { get; }

    public string Folder { get; }

    public string Kubeconfig => Path.Combine(Folder, "kubeconfig");

    public string ConfigFile => Path.Combine(Folder, "vitrage.conf");

    /// <param name="legacyExternalId">Also serve the deprecated spec.externalID, from which Vitrage's
    /// own driver takes each node's nova.instance (the cold benchmark's baseline needs it).</param>
    /// <param name="pluginFolder">The plugins the host loads (default: the build output's).</param>
    public static async Task<BenchmarkCluster> StartAsync(int nodes, int pageSize, int watchHistory = 1000, int retentionSeconds = 600,
        bool legacyExternalId = false, string? pluginFolder = null)
    {
        var simulator = await KubeApiSimulator.KubeApiSimulator.StartAsync(new SimulatorOptions
        {
            NodeCount = nodes,
            Provider = ProviderMode.OpenStack,
            WatchHistory = watchHistory,
            LegacyExternalId = legacyExternalId,
        });
        var cluster = new BenchmarkCluster(simulator, Directory.CreateTempSubdirectory("pluginhost-bench-").FullName);
        await simulator.WriteKubeconfigAsync(cluster.Kubeconfig);
        await File.WriteAllTextAsync(cluster.ConfigFile, $"""
            [datasources]
            types = kubernetes
            plugin_path = {pluginFolder ?? BenchmarkPaths.PluginFolder}
            [plugin_host]
            deleted_entity_retention = {retentionSeconds}
            state_dir = {Path.Combine(cluster.Folder, "state")}
            log_level = warning
            [kubernetes]
            config_file = {cluster.Kubeconfig}
            page_size = {pageSize}
            """);
        return cluster;
    }

    /// <summary>
    /// Reads the whole node list <paramref name="rounds"/> times, so the simulator (in this process,
    /// on the same two cores as the measured one) is warm: its first ~8 lists of 5,000 nodes cost it
    /// 0.1–1.2 s of CPU each while its code tiers up, against ~0.05 s warm, and that competed with the
    /// first timed processes, which a real API server (warm, and on other machines) does not.
    /// </summary>
    /// <returns>This process's CPU time for the last round.</returns>
    public async Task<TimeSpan> WarmUpServerAsync(int rounds, int pageSize)
    {
        using var client = new HttpClient { BaseAddress = Simulator.BaseUrl, Timeout = TimeSpan.FromMinutes(1) };
        var last = TimeSpan.Zero;
        for (var round = 0; round < rounds; round++)
        {
            var before = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            string? next = null;
            do
            {
                var url = $"api/v1/nodes?limit={pageSize}" + (next is null ? string.Empty : "&continue=" + Uri.EscapeDataString(next));
                await using var body = await client.GetStreamAsync(url);
                using var page = await System.Text.Json.JsonDocument.ParseAsync(body);
                next = page.RootElement.GetProperty("metadata").TryGetProperty("continue", out var token) ? token.GetString() : null;
            }
            while (!string.IsNullOrEmpty(next));
            last = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - before;
        }

        return last;
    }

    /// <summary>Adds lines to the config: options of <c>[kubernetes]</c> (its last section), or more sections.</summary>
    public Task AddConfigAsync(string lines) => File.AppendAllTextAsync(ConfigFile, "\n" + lines + "\n");

    /// <summary>Sets <c>[plugin_host] log_level</c> (warning by default; a <c>run</c> process logs where its API listens at info).</summary>
    public async Task UseLogLevelAsync(string level)
    {
        var config = await File.ReadAllTextAsync(ConfigFile);
        await File.WriteAllTextAsync(ConfigFile, config.Replace("log_level = warning", $"log_level = {level}", StringComparison.Ordinal));
    }

    /// <summary>
    /// The cluster's config for another host process: its own state_dir (so its own alarm
    /// history) and, when given, its own plugins (another install's); everything else the same.
    /// </summary>
    public async Task<string> ConfigForAsync(string label, string? pluginFolder = null)
    {
        var lines = (await File.ReadAllLinesAsync(ConfigFile)).Select(line =>
            pluginFolder is not null && line.StartsWith("plugin_path = ", StringComparison.Ordinal) ? $"plugin_path = {pluginFolder}"
            : line.StartsWith("state_dir = ", StringComparison.Ordinal) ? $"state_dir = {Path.Combine(Folder, $"{label}-state")}"
            : line);
        var config = Path.Combine(Folder, $"{label}.conf");
        await File.WriteAllLinesAsync(config, lines);
        return config;
    }

    /// <summary>The host pipeline exactly as <c>snapshot</c> and <c>run</c> build it.</summary>
    public DatasourceScheduler CreateHost() =>
        DatasourceScheduler.Create(
            HostConfigurationLoader.Load(ConfigFileSet.Load([ConfigFile], [])),
            NullLoggerFactory.Instance, TimeProvider.System);

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
