using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace PluginHost.Benchmarks;

/// <summary>
/// <c>update_method = push</c> under steady change: a real <c>pluginhost run</c> process (its own
/// process, so its CPU is its own; the simulator and the changes stay in this one) watching N
/// nodes while R nodes a second flip, for the measured window after a minute's warm-up: the
/// host's CPU time against one core, and its resident memory every 10 s (flat: the last minute's
/// mean against the first's, and the slope); the same host watching with no change for two
/// minutes before is the baseline. Default settings otherwise, so the window holds the
/// resync a 600 s snapshots_interval brings.
/// </summary>
internal static class PushLoadRunner
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(10);

    // After the first snapshot, before the idle baseline: the start's garbage collected, the JIT done.
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan IdleWindow = TimeSpan.FromMinutes(2);

    public static async Task<int> RunAsync(ScaleOptions options)
    {
        var nodes = options.SingleNodeCount(20_000);
        await using var cluster = await BenchmarkCluster.StartAsync(nodes, options.PageSize, watchHistory: 100_000);
        await cluster.UseLogLevelAsync("info"); // the default: the log lines of each watched change are part of the cost
        await cluster.AddConfigAsync("update_method = push\n[api]\nport = 0");
        await using var host = await HostProcess.StartAsync(cluster.ConfigFile);
        using var http = new HttpClient { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-Roles", "admin");
        http.DefaultRequestHeaders.Add("X-Project-Id", "admin");
        await ApiCalls.WaitForNodesAsync(http, nodes);
        Console.Error.WriteLine($"{nodes:N0} nodes watched; {options.Rate}/s changes: {WarmUp.TotalSeconds:F0} s warm-up, then {options.Duration.TotalMinutes:F1} min measured");

        // The same-run baseline: the same host watching the same nodes with nothing changing.
        await Task.Delay(SettleTime);
        var idleCpuStart = host.CpuSeconds();
        var idleClock = Stopwatch.StartNew();
        await Task.Delay(IdleWindow);
        var idleCpuPercent = (host.CpuSeconds() - idleCpuStart) / idleClock.Elapsed.TotalSeconds * 100;
        var idleResident = host.ResidentMiB();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  idle: cpu {idleCpuPercent:F2} % of one core, rss {idleResident:F0} MiB"));

        var flipper = NodeFlipper.Start(cluster.Simulator, options.Rate);
        await Task.Delay(WarmUp);
        var counters = cluster.Simulator.Counters;
        var (watchesBefore, listsBefore, changesBefore) = (counters.WatchRequests, counters.NodeListRequests, flipper.Changes);
        var clock = Stopwatch.StartNew();
        var cpuStart = host.CpuSeconds();
        var samples = new List<(double Seconds, double Cpu, double ResidentMiB)>();
        while (clock.Elapsed < options.Duration)
        {
            await Task.Delay(SampleEvery);
            samples.Add((clock.Elapsed.TotalSeconds, host.CpuSeconds(), host.ResidentMiB()));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {samples[^1].Seconds,5:F0} s  cpu {samples[^1].Cpu - cpuStart,7:F2} s  rss {samples[^1].ResidentMiB,6:F0} MiB"));
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = host.CpuSeconds() - cpuStart;
        var changes = flipper.Changes - changesBefore;
        await flipper.DisposeAsync();
        var inSync = await WaitForSameNotReadyCountAsync(http, cluster);

        var perSample = samples.Select((s, i) => (s.Cpu - (i == 0 ? cpuStart : samples[i - 1].Cpu)) / SampleEvery.TotalSeconds * 100).ToList();
        var perMinute = (int)(60 / SampleEvery.TotalSeconds);
        var first = samples.Take(perMinute).Average(s => s.ResidentMiB);
        var last = samples.TakeLast(perMinute).Average(s => s.ResidentMiB);
        var table = new StringBuilder();
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{nodes:N0} nodes, push, {changes / seconds:F1} changes/s for {seconds / 60:F1} min after {WarmUp.TotalMinutes:F0} min warm-up"));
        table.AppendLine();
        table.AppendLine("| measure | value |");
        table.AppendLine("|---|---:|");
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| host CPU, average over the window | {cpu / seconds * 100:F2} % of one core |"));
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| host CPU, idle baseline ({IdleWindow.TotalMinutes:F0} min, same host, no changes) | {idleCpuPercent:F2} % of one core |"));
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| resident memory at the idle baseline / at the end | {idleResident:F0} / {samples[^1].ResidentMiB:F0} MiB |"));
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| host CPU per 10 s sample: median / max | {Statistics.Median(perSample):F2} % / {perSample.Max():F1} % |"));
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| resident memory: first minute / last minute (mean) | {first:F0} / {last:F0} MiB |"));
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| resident memory: min / max over the window | {samples.Min(s => s.ResidentMiB):F0} / {samples.Max(s => s.ResidentMiB):F0} MiB |"));
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| resident memory slope | {Statistics.Slope(samples.Select(s => s.ResidentMiB).ToList()) * perMinute:F2} MiB/min |"));
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| watch requests / list pages in the window | {counters.WatchRequests - watchesBefore} / {counters.NodeListRequests - listsBefore} |"));
        table.AppendLine($"| graph NotReady count equals the simulator's after the changes stop | {(inSync ? "yes" : "NO")} |");
        Console.WriteLine(table);
        return inSync ? 0 : 1;
    }

    // The watch caught every change: the API counts as many NotReady (Ready False) and Unknown nodes as the simulator holds.
    private static async Task<bool> WaitForSameNotReadyCountAsync(HttpClient http, BenchmarkCluster cluster)
    {
        var statuses = cluster.Simulator.Nodes.Names.Select(n => ReadyStatus(cluster.Simulator, n)).ToList();
        var (notReady, unknown) = (statuses.Count(s => s == "False"), statuses.Count(s => s is not "True" and not "False"));
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var counts = await ApiCalls.ReadJsonAsync(http, ApiCalls.Post("v1/resources/count/", new { all_tenants = true, group_by = "state" }));
            if (Count(counts, "NotReady") == notReady && Count(counts, "Unknown") == unknown)
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }

    private static int Count(System.Text.Json.JsonElement counts, string state) => counts.TryGetProperty(state, out var count) ? count.GetInt32() : 0;

    private static string? ReadyStatus(KubeApiSimulator.KubeApiSimulator simulator, string name) =>
        simulator.Nodes.Get(name)?["status"]?["conditions"]?.AsArray()
            .FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Ready")?["status"]?.GetValue<string>();
}
