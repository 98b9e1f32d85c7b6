using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace PluginHost.Benchmarks;

/// <summary>
/// What <c>update_method = push</c> costs the API server, against get_all: a real <c>pluginhost run</c>
/// process watching N nodes (default settings: snapshots_interval 600 s, so resyncs) while R nodes a
/// second change, for the window; the simulator counts watch requests, list pages and the bytes of
/// each. get_all's hour is six full lists (one measured here, pages and bytes) and six /version.
/// </summary>
internal static class PushRequestsRunner
{
    public static async Task<int> RunAsync(ScaleOptions options)
    {
        var nodes = options.SingleNodeCount(5000);
        var rate = options.Rate == new ScaleOptions().Rate ? 1 : options.Rate;
        await using var cluster = await BenchmarkCluster.StartAsync(nodes, options.PageSize, watchHistory: 100_000);
        await cluster.AddConfigAsync("update_method = push\n[api]\nport = 0");
        await cluster.UseLogLevelAsync("info");
        var counters = cluster.Simulator.Counters;

        using (var floor = new FloorReader(cluster.Simulator.BaseUrl, options.PageSize))
        {
            await floor.ReadAllAsync();
        }

        var (listPages, listBytes) = (counters.NodeListRequests, counters.ListBytes);
        counters.Reset();

        var clock = Stopwatch.StartNew();
        await using var host = await HostProcess.StartAsync(cluster.ConfigFile);
        await using (var flipper = NodeFlipper.Start(cluster.Simulator, rate))
        {
            Console.Error.WriteLine($"{nodes:N0} nodes, push, {rate}/s changes for {options.Duration.TotalMinutes:F0} min");
            while (clock.Elapsed < options.Duration)
            {
                await Task.Delay(TimeSpan.FromSeconds(30));
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {clock.Elapsed.TotalMinutes,5:F1} min  watches {counters.WatchRequests}  list pages {counters.NodeListRequests}  watch {counters.WatchBytes / 1048576.0:F1} MiB  lists {counters.ListBytes / 1048576.0:F1} MiB"));
            }
        }

        var hours = clock.Elapsed.TotalHours;
        var table = new StringBuilder();
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{nodes:N0} nodes, {rate} node changes/s, measured for {clock.Elapsed.TotalMinutes:F1} min, per hour"));
        table.AppendLine();
        table.AppendLine("| mode | watch requests | list pages | /version | MiB from the API server |");
        table.AppendLine("|---|---:|---:|---:|---:|");
        table.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| get_all, snapshots_interval 600 s (6 lists) | 0 | {6 * listPages} | 6 | {6 * listBytes / 1048576.0:F1} |"));
        table.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| push, snapshots_interval 600 s (measured) | {counters.WatchRequests / hours:F1} | {counters.NodeListRequests / hours:F1} | {counters.VersionRequests / hours:F1} | {(counters.WatchBytes + counters.ListBytes) / hours / 1048576.0:F1} (watch {counters.WatchBytes / hours / 1048576.0:F1}, lists {counters.ListBytes / hours / 1048576.0:F1}) |"));
        table.AppendLine();
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"One full list: {listPages} pages, {listBytes / 1048576.0:F1} MiB."));
        Console.WriteLine(table);
        return 0;
    }
}
