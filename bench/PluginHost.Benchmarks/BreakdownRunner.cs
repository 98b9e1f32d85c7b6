using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Contracts;
using PluginHost.Datasources.Kubernetes;
using PluginHost.Datasources.Kubernetes.Connection;

namespace PluginHost.Benchmarks;

/// <summary>
/// Where the time of get_all → graph goes, stage by stage, against the floor: the driver alone
/// (list and build events), driver + transformer, and the whole pipeline. For finding what to
/// optimise; `scale` gives the numbers that count.
/// </summary>
internal static class BreakdownRunner
{
    public static async Task<int> RunAsync(ScaleOptions options)
    {
        foreach (var nodes in options.Nodes)
        {
            await using var cluster = await BenchmarkCluster.StartAsync(nodes, options.PageSize);
            using var floor = new FloorReader(cluster.Simulator.BaseUrl, options.PageSize);
            await using var host = cluster.CreateHost();
            var plugin = new KubernetesDatasourcePlugin();
            await using var driver = plugin.CreateDriver(new DatasourceContext("kubernetes", Settings(cluster.Kubeconfig, options.PageSize),
                NullLogger.Instance, TimeProvider.System));
            var transformers = plugin.CreateTransformers(Settings(cluster.Kubeconfig, options.PageSize));

            async Task<int> DriverOnly()
            {
                var count = 0;
                await foreach (var _ in driver.GetAllAsync(DatasourceAction.Snapshot, CancellationToken.None))
                {
                    count++;
                }

                return count;
            }

            async Task<int> DriverAndTransform()
            {
                var count = 0;
                await foreach (var e in driver.GetAllAsync(DatasourceAction.Snapshot, CancellationToken.None))
                {
                    count += transformers[e.EntityType].Transform(e).Neighbors.Count;
                }

                return count;
            }

            var graph = new PluginHost.Graph.EntityGraph(TimeProvider.System);
            async Task<int> DriverTransformApply()
            {
                var started = DateTimeOffset.UtcNow;
                var count = 0;
                var applyClock = new Stopwatch();
                await foreach (var e in driver.GetAllAsync(DatasourceAction.Snapshot, CancellationToken.None))
                {
                    var update = transformers[e.EntityType].Transform(e);
                    applyClock.Start();
                    graph.Apply(update, e.DatasourceName, e.SampleTime);
                    applyClock.Stop();
                    count++;
                }

                applyClock.Start();
                graph.MarkOutdatedDeleted("kubernetes", started);
                graph.Purge(TimeSpan.FromMinutes(10));
                applyClock.Stop();
                Console.Error.WriteLine($"    (apply, mark, purge: {applyClock.Elapsed.TotalMilliseconds:F1} ms; gen0/1/2 so far {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)})");
                return count;
            }

            var kubernetesOptions = KubernetesOptions.From(Settings(cluster.Kubeconfig, options.PageSize));
            var connection = KubeconfigLoader.Connect(kubernetesOptions, TimeProvider.System);
            var api = new KubernetesApiClient(connection, TimeSpan.FromSeconds(60));
            var pageBuffer = new PageBuffer(kubernetesOptions.MaxPageBytes);
            async Task<int> PagesOnly()
            {
                var count = 0;
                string? next = null;
                do
                {
                    var path = next is null ? $"api/v1/nodes?limit={options.PageSize}" : $"api/v1/nodes?limit={options.PageSize}&continue={Uri.EscapeDataString(next)}";
                    var page = await api.GetNodeListPageAsync(path, pageBuffer, CancellationToken.None);
                    count += page.Count;
                    next = page.ContinueToken;
                }
                while (next is not null);

                return count;
            }

            var stages = new (string Name, Func<Task<int>> Work)[]
            {
                ("floor", floor.ReadAllAsync),
                ("driver pages: HTTP + scan", PagesOnly),
                ("driver", DriverOnly),
                ("driver + transform", DriverAndTransform),
                ("+ apply, one thread", DriverTransformApply),
                ("get_all → graph", async () => (await host.SnapshotOnceAsync(CancellationToken.None)).Count),
            };
            foreach (var stage in stages)
            {
                await stage.Work();
            }

            var times = stages.ToDictionary(s => s.Name, _ => new List<double>());
            var allocated = stages.ToDictionary(s => s.Name, _ => new List<double>());
            var paused = stages.ToDictionary(s => s.Name, _ => new List<double>());
            var collections = stages.ToDictionary(s => s.Name, _ => new List<(int, int, int)>());
            for (var run = 0; run < options.Runs; run++)
            {
                foreach (var stage in stages)
                {
                    GC.Collect();
                    var before = GC.GetTotalAllocatedBytes(precise: true);
                    var pausedBefore = GC.GetTotalPauseDuration();
                    var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
                    var clock = Stopwatch.StartNew();
                    await stage.Work();
                    times[stage.Name].Add(clock.Elapsed.TotalMilliseconds);
                    paused[stage.Name].Add((GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds);
                    collections[stage.Name].Add((GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2));
                    allocated[stage.Name].Add((GC.GetTotalAllocatedBytes(precise: true) - before) / 1024.0 / 1024.0);
                }
            }

            var floorMs = Statistics.Median(times["floor"]);
            Console.WriteLine($"{nodes:N0} nodes:");
            foreach (var (name, values) in times)
            {
                var median = Statistics.Median(values);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name,-20} {median,8:F1} ms  {median / floorMs,5:F2}× floor  {Statistics.Median(allocated[name]),8:F1} MiB allocated  GC paused {Statistics.Median(paused[name]),7:F1} ms  collections (gen0/1/2, last run) {collections[name][^1]}"));
            }
        }

        return 0;
    }

    private static DatasourceSettings Settings(string kubeconfig, int pageSize) => new(new Dictionary<string, object?>
    {
        ["config_file"] = kubeconfig,
        ["context"] = string.Empty,
        ["contexts"] = Array.Empty<string>(),
        ["cluster_name"] = string.Empty,
        ["page_size"] = (long)pageSize,
        ["request_timeout"] = 60L,
        ["snapshot_timeout"] = 300L,
        ["max_page_bytes"] = 64L << 20,
        ["include_annotations"] = false,
        ["instance_id_from_system_uuid"] = false,
        ["alarms_file"] = string.Empty,
        ["update_method"] = "none",
        ["use_watch_list"] = "auto",
    });
}
