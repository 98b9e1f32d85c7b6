using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PluginHost.Benchmarks;

/// <summary>
/// <c>scale --run</c>: whole <c>pluginhost run</c> processes, one per variant (environment
/// variables: GC settings and the like), side by side on one simulated cluster with churn (every
/// 5 s one node deleted, one added, one flipped between Ready and NotReady), each taking a
/// snapshot every 10 s (the shortest interval there is; <c>--interval</c> sets a longer one, e.g.
/// one longer than a 65,000-node cold snapshot, so the first steady snapshot does not start while
/// the cold one is still being applied). <see cref="SettleTime"/> after each applied snapshot the
/// process's resident set (VmRSS) is read; the host's own log gives each get_all's time.
/// Side by side, a burst of load on the shared machine hits every variant alike.
/// </summary>
internal static partial class RunSoakRunner
{
    /// <summary>
    /// How long after a snapshot's "applied" line its RSS is read: the publication and <c>run</c>'s
    /// memory release come after that line (up to ~0.3 s at 20,000 nodes), so the figure is what the
    /// process holds until its next snapshot.
    /// </summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(ScaleOptions options)
    {
        var nodes = options.Nodes.Count == 4 && options.Nodes[0] == 100 ? 5000 : options.Nodes[0];
        var snapshots = options.Snapshots;
        var interval = (int)Math.Max(10, (options.Interval ?? TimeSpan.FromSeconds(10)).TotalSeconds);
        var binary = HostBinary.From(options.HostFolder);
        await using var cluster = await BenchmarkCluster.StartAsync(nodes, options.PageSize, watchHistory: 100, retentionSeconds: 60, pluginFolder: binary.PluginFolder);
        var config = (await File.ReadAllTextAsync(cluster.ConfigFile))
            .Replace("[datasources]\n", $"[datasources]\nsnapshots_interval = {interval}\n", StringComparison.Ordinal)
            .Replace("log_level = warning", "log_level = info", StringComparison.Ordinal);
        await File.WriteAllTextAsync(cluster.ConfigFile, config + "\n[api]\nport = 0\n");

        var variants = await ProcessVariant.ForAsync(options, binary, cluster);

        Console.Error.WriteLine($"host: {binary.Description}; {nodes:N0} nodes; {snapshots} snapshots; {variants.Count} run processes side by side");
        var loadBefore = LoadAverage.Now();
        var hosts = new List<HostProcess>();
        try
        {
            foreach (var variant in variants)
            {
                hosts.Add(await HostProcess.StartAsync(variant.Config, variant.Binary, variant.Environment));
            }

            using var stop = new CancellationTokenSource();
            var churn = ChurnAsync(cluster, stop.Token);
            var rss = hosts.Select(_ => new List<double>()).ToList();
            var appliedAt = hosts.Select(_ => new List<DateTime>()).ToList();
            var loads = new List<double>();
            var printed = 0;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds((snapshots * interval * 1.5) + 120);
            while (rss.Any(r => r.Count < snapshots) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
                for (var i = 0; i < hosts.Count; i++)
                {
                    var applied = hosts[i].Lines().Count(l => l.Contains(" snapshot applied: ", StringComparison.Ordinal));
                    while (appliedAt[i].Count < applied)
                    {
                        appliedAt[i].Add(DateTime.UtcNow);
                    }

                    // Read once what follows an applied snapshot (publication, memory release) is done.
                    while (rss[i].Count < Math.Min(applied, snapshots) && DateTime.UtcNow - appliedAt[i][rss[i].Count] >= SettleTime)
                    {
                        rss[i].Add(hosts[i].ResidentMiB());
                    }
                }

                // One load sample per snapshot of the first process (a short run has fewer than 10).
                if (loads.Count < rss[0].Count)
                {
                    loads.Add(LoadAverage.Now());
                }

                if (rss[0].Count > 0 && rss[0].Count % 10 == 0 && loads.Count == rss[0].Count && printed < rss[0].Count)
                {
                    printed = rss[0].Count;
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"snapshot {rss[0].Count}: {string.Join(", ", variants.Select((v, i) => $"{v.Label} {(rss[i].Count > 0 ? rss[i][^1] : 0):F0} MiB"))}, load {loads[^1]:F1}"));
                }
            }

            await stop.CancelAsync();
            await churn;
            var text = new StringBuilder();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"`run`, {nodes:N0} OpenStack nodes with churn, a snapshot every {interval} s, {binary.Description}; {variants.Count} processes side by side; load average {loadBefore:F1} before, {(loads.Count == 0 ? "—" : string.Create(CultureInfo.InvariantCulture, $"{loads.Min():F1}–{loads.Max():F1}"))} during"));
            text.AppendLine();
            text.AppendLine("| variant | environment | snapshots | RSS after 1st (MiB) | after 10th | after last | max after 10th | get_all → queued (s), steady: median (min–max) |");
            text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
            for (var i = 0; i < hosts.Count; i++)
            {
                var (label, environment, _, _) = variants[i];
                var times = hosts[i].Lines().Select(l => CompleteLine().Match(l)).Where(m => m.Success)
                    .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Skip(1).ToList();
                var r = rss[i];
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: steady get_all → queued, in order (s): {string.Join(", ", times.Select(t => t.ToString("F2", CultureInfo.InvariantCulture)))}"));
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {label} | {(environment.Count == 0 ? "—" : string.Join(" ", environment.Select(e => $"{e.Key}={e.Value}")))} | {r.Count} | {At(r, 0)} | {At(r, 9)} | {At(r, r.Count - 1)} | {(r.Count > 10 ? r.Skip(9).Max().ToString("F0", CultureInfo.InvariantCulture) : "—")} | {(times.Count == 0 ? "—" : ColdRunner.Spread(times, "F2"))} |"));
            }

            Console.WriteLine(text);
            return 0;
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    private static string At(List<double> values, int index) =>
        index >= 0 && index < values.Count ? values[index].ToString("F0", CultureInfo.InvariantCulture) : "—";

    private static async Task ChurnAsync(BenchmarkCluster cluster, CancellationToken cancellationToken)
    {
        var random = new Random(7);
        while (!cancellationToken.IsCancellationRequested)
        {
            var names = cluster.Simulator.Nodes.Names;
            cluster.Simulator.Nodes.Delete(names[random.Next(names.Count)]);
            cluster.Simulator.AddGeneratedNodes(1);
            names = cluster.Simulator.Nodes.Names;
            cluster.Simulator.Nodes.SetReady(names[random.Next(names.Count)], random.Next(2) == 0 ? "False" : "True");
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [GeneratedRegex(@"snapshot complete: \d+ events in ([0-9.]+) s")]
    private static partial Regex CompleteLine();
}
