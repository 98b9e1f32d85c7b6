using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace PluginHost.Benchmarks;

/// <summary>
/// <c>update_method = push</c> under steady change: a real <c>pluginhost run</c> process (its own
/// process, so its CPU is its own; the simulator and the changes stay in this one) watching N
/// nodes while R nodes a second flip, for the measured window after a minute's warm-up: the
/// host's CPU time against one core, and its resident memory every 10 s (flat: judged once the
/// first ended alarms are purged, by the 5-minute means and the slope after that; the first and
/// last minute's means and the whole window's slope are shown too); the same host watching with no change for two
/// minutes before is the baseline. Default settings otherwise, so the window holds the
/// resync a 600 s snapshots_interval brings. With <c>--baseline-host</c> another build runs beside
/// this one on the same cluster and changes, measured over the same windows: a same-run before/after;
/// each <c>--variant</c> runs this build once more beside it with that environment (a runtime knob, or
/// nothing, to see what a second host on the same two cores does to the first).
/// </summary>
internal static class PushLoadRunner
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(10);

    // After the first snapshot, before the idle baseline: the start's garbage collected, the JIT done.
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan IdleWindow = TimeSpan.FromMinutes(2);

    // The cluster's deleted_entity_retention: the window's memory grows until the first ended alarms are purged.
    private static readonly TimeSpan Retention = TimeSpan.FromSeconds(600);

    public static async Task<int> RunAsync(ScaleOptions options)
    {
        var nodes = options.SingleNodeCount(20_000);
        await using var cluster = await BenchmarkCluster.StartAsync(nodes, options.PageSize, watchHistory: 100_000, retentionSeconds: (int)Retention.TotalSeconds);
        await cluster.UseLogLevelAsync("info"); // the default: the log lines of each watched change are part of the cost
        await cluster.AddConfigAsync("update_method = push\n[api]\nport = 0");

        // With --baseline-host, another build watches the same cluster beside this one: the same changes,
        // the same machine load, the same window; its own state_dir, so each has its own alarm history.
        var hosts = new List<MeasuredHost>();
        try
        {
            hosts.Add(await MeasuredHost.StartAsync("this build", cluster.ConfigFile, HostBinary.From(null)));
            if (options.BaselineHostFolder is { } baselineFolder)
            {
                var baseline = HostBinary.FromBuildOutput(baselineFolder);
                hosts.Add(await MeasuredHost.StartAsync("baseline", await cluster.ConfigForAsync("baseline", baseline.PluginFolder), baseline));
            }

            // Each --variant is this build again with its environment (a runtime knob, or a second host on the same cores).
            foreach (var (label, environment) in options.Variants)
            {
                hosts.Add(await MeasuredHost.StartAsync(label, await cluster.ConfigForAsync(label), HostBinary.From(null), environment));
            }

            foreach (var host in hosts)
            {
                await ApiCalls.WaitForNodesAsync(host.Http, nodes);
                Console.Error.WriteLine($"{host.Label}: {host.Binary.Description}, pid {host.Process.Id}");
            }

            Console.Error.WriteLine($"{nodes:N0} nodes watched; {options.Rate}/s changes: {WarmUp.TotalSeconds:F0} s warm-up, then {options.Duration.TotalMinutes:F1} min measured");

            // The same-run baseline: the same hosts watching the same nodes with nothing changing.
            await Task.Delay(SettleTime);
            var idleCpuStart = hosts.Select(h => h.Process.CpuSeconds()).ToList();
            var idleClock = Stopwatch.StartNew();
            await Task.Delay(IdleWindow);
            var idleCpuPercent = hosts.Select((h, i) => (h.Process.CpuSeconds() - idleCpuStart[i]) / idleClock.Elapsed.TotalSeconds * 100).ToList();
            var idleResident = hosts.Select(h => h.Process.ResidentMiB()).ToList();
            for (var i = 0; i < hosts.Count; i++)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {hosts[i].Label} idle: cpu {idleCpuPercent[i]:F2} % of one core, rss {idleResident[i]:F0} MiB"));
            }

            var flipper = NodeFlipper.Start(cluster.Simulator, options.Rate);
            await Task.Delay(WarmUp);
            var counters = cluster.Simulator.Counters;
            var (watchesBefore, listsBefore, changesBefore) = (counters.WatchRequests, counters.NodeListRequests, flipper.Changes);
            var clock = Stopwatch.StartNew();
            var cpuStart = hosts.Select(h => h.Process.CpuSeconds()).ToList();
            var samples = hosts.Select(_ => new List<(double Seconds, double Cpu, double ResidentMiB)>()).ToList();
            var loads = new List<string>();
            while (clock.Elapsed < options.Duration)
            {
                await Task.Delay(SampleEvery);
                var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"  {clock.Elapsed.TotalSeconds,5:F0} s"));
                for (var i = 0; i < hosts.Count; i++)
                {
                    samples[i].Add((clock.Elapsed.TotalSeconds, hosts[i].Process.CpuSeconds(), hosts[i].Process.ResidentMiB()));
                    line.Append(string.Create(CultureInfo.InvariantCulture, $"  {hosts[i].Label}: cpu {samples[i][^1].Cpu - cpuStart[i],7:F2} s rss {samples[i][^1].ResidentMiB,5:F0} MiB"));
                }

                if (samples[0].Count % 6 == 0)
                {
                    loads.Add(LoadAverage.Now().ToString("F1", CultureInfo.InvariantCulture));
                }

                Console.Error.WriteLine(line);
            }

            var seconds = clock.Elapsed.TotalSeconds;
            var cpu = hosts.Select((h, i) => h.Process.CpuSeconds() - cpuStart[i]).ToList();
            var changes = flipper.Changes - changesBefore;
            await flipper.DisposeAsync();
            var inSync = new List<bool>();
            foreach (var host in hosts)
            {
                inSync.Add(await WaitForSameNotReadyCountAsync(host.Http, cluster));
            }

            var perMinute = (int)(60 / SampleEvery.TotalSeconds);
            var table = new StringBuilder();
            table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{nodes:N0} nodes, push, {changes / seconds:F1} changes/s for {seconds / 60:F1} min after {WarmUp.TotalMinutes:F0} min warm-up"));
            table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"load average (1 min) every minute: {string.Join(", ", loads)}"));
            table.AppendLine();
            table.AppendLine($"| measure | {string.Join(" | ", hosts.Select(h => h.Label))} |");
            table.AppendLine($"|---|{string.Concat(hosts.Select(_ => "---:|"))}");
            Row(table, "host CPU, average over the window (% of one core)", hosts.Select((_, i) => F(cpu[i] / seconds * 100)));
            Row(table, $"host CPU, idle baseline ({IdleWindow.TotalMinutes:F0} min, same host, no changes)", idleCpuPercent.Select(F));
            Row(table, "resident memory at the idle baseline / at the end (MiB)", hosts.Select((_, i) => $"{idleResident[i]:F0} / {samples[i][^1].ResidentMiB:F0}"));
            Row(table, "host CPU per 10 s sample: median / min / max (%)", hosts.Select((_, i) =>
            {
                var perSample = samples[i].Select((s, j) => (s.Cpu - (j == 0 ? cpuStart[i] : samples[i][j - 1].Cpu)) / SampleEvery.TotalSeconds * 100).ToList();
                return string.Create(CultureInfo.InvariantCulture, $"{Statistics.Median(perSample):F2} / {perSample.Min():F2} / {perSample.Max():F1}");
            }));
            Row(table, "resident memory: first minute / last minute (mean, MiB)", samples.Select(s =>
                string.Create(CultureInfo.InvariantCulture, $"{s.Take(perMinute).Average(x => x.ResidentMiB):F0} / {s.TakeLast(perMinute).Average(x => x.ResidentMiB):F0}")));
            Row(table, "resident memory: min / max over the window (MiB)", samples.Select(s => $"{s.Min(x => x.ResidentMiB):F0} / {s.Max(x => x.ResidentMiB):F0}"));
            Row(table, "resident memory slope (MiB/min)", samples.Select(s => F(Statistics.Slope(s.Select(x => x.ResidentMiB).ToList()) * perMinute)));

            // Ended alarms stay in the graph for deleted_entity_retention, so memory grows until the first of them
            // are purged; flat means flat after that (the window starts a warm-up after the first change).
            var retained = Retention - WarmUp;
            if (seconds - retained.TotalSeconds >= 5 * 60)
            {
                Row(table, $"resident memory after the first {retained.TotalMinutes:F0} min (once ended alarms are purged): mean of each 5 min / slope (MiB/min)", samples.Select(s =>
                {
                    var after = s.Where(x => x.Seconds > retained.TotalSeconds).ToList();
                    var spans = after.Chunk(5 * perMinute).Select(c => c.Average(x => x.ResidentMiB).ToString("F0", CultureInfo.InvariantCulture));
                    return $"{string.Join(", ", spans)} / {F(Statistics.Slope(after.Select(x => x.ResidentMiB).ToList()) * perMinute)}";
                }));
            }

            Row(table, "graph NotReady count equals the simulator's after the changes stop", inSync.Select(ok => ok ? "yes" : "NO"));
            for (var i = 1; i < hosts.Count; i++)
            {
                table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"\nthis build / {hosts[i].Label}, CPU over the window: {cpu[0] / cpu[i]:F2}; above idle: {(cpu[0] / seconds * 100 - idleCpuPercent[0]) / (cpu[i] / seconds * 100 - idleCpuPercent[i]):F2}"));
            }

            table.AppendLine($"watch requests / list pages in the window (all hosts): {counters.WatchRequests - watchesBefore} / {counters.NodeListRequests - listsBefore}");
            Console.WriteLine(table);
            return inSync.All(ok => ok) ? 0 : 1;
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    private static string F(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    private static void Row(StringBuilder table, string measure, IEnumerable<string> values) =>
        table.AppendLine($"| {measure} | {string.Join(" | ", values)} |");

    /// <summary>One host process of the run, with a client for its API.</summary>
    private sealed record MeasuredHost(string Label, HostBinary Binary, HostProcess Process, HttpClient Http) : IAsyncDisposable
    {
        public static async Task<MeasuredHost> StartAsync(string label, string config, HostBinary binary, IReadOnlyDictionary<string, string>? environment = null)
        {
            var process = await HostProcess.StartAsync(config, binary, environment);
            var http = new HttpClient { BaseAddress = process.BaseUrl, Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.Add("X-Roles", "admin");
            http.DefaultRequestHeaders.Add("X-Project-Id", "admin");
            return new MeasuredHost(label, binary, process, http);
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Process.DisposeAsync();
        }
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
