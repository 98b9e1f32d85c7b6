using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace PluginHost.Benchmarks;

/// <summary>
/// Many snapshots with node churn each round (one node deleted, one added, one flipped between
/// Ready and NotReady); after each snapshot the live managed heap (after a full collection) and
/// the working set are recorded. Memory must be flat after warm-up, and at the end the graph's
/// nodes must be exactly the simulator's.
/// </summary>
internal static class SoakRunner
{
    private const int WarmUp = 50;

    private static readonly TimeSpan SoakInterval = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(ScaleOptions options)
    {
        var nodes = options.SingleNodeCount(5000);
        // Short retention so deleted vertices are purged inside the run, as in a long-running host.
        await using var cluster = await BenchmarkCluster.StartAsync(nodes, options.PageSize, watchHistory: 100, retentionSeconds: 30);
        await using var host = cluster.CreateHost();
        var random = new Random(7);
        var heapMiB = new List<double>();
        var workingSetMiB = new List<double>();
        var seconds = new List<double>();
        using var self = Process.GetCurrentProcess();
        for (var round = 0; round < options.Snapshots; round++)
        {
            var names = cluster.Simulator.Nodes.Names;
            cluster.Simulator.Nodes.Delete(names[random.Next(names.Count)]);
            cluster.Simulator.AddGeneratedNodes(1);
            names = cluster.Simulator.Nodes.Names;
            cluster.Simulator.Nodes.SetReady(names[random.Next(names.Count)], random.Next(2) == 0 ? "False" : "True");

            var clock = Stopwatch.StartNew();
            (await host.SnapshotOnceAsync(CancellationToken.None)).Count.ShouldBe(0);
            seconds.Add(clock.Elapsed.TotalSeconds);
            heapMiB.Add(GC.GetTotalMemory(forceFullCollection: true) / 1024.0 / 1024.0);
            self.Refresh();
            workingSetMiB.Add(self.WorkingSet64 / 1024.0 / 1024.0);
            if (round % 10 == 0)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"snapshot {round}: {seconds[^1]:F2} s, heap {heapMiB[^1]:F1} MiB, working set {workingSetMiB[^1]:F0} MiB"));
            }

            await Task.Delay(options.Interval ?? SoakInterval);
        }

        var expected = cluster.Simulator.Nodes.Names.Order(StringComparer.Ordinal).ToList();
        var actual = host.Graph.LiveVertices.Where(v => v.Type == "kubernetes.node").Select(v => v.Name!).Order(StringComparer.Ordinal).ToList();
        var graphMatches = expected.SequenceEqual(actual);

        var steady = heapMiB.Skip(WarmUp).ToList();
        var slopePer100 = Statistics.Slope(steady) * 100;
        var firstHalf = steady.Take(steady.Count / 2).Average();
        var secondHalf = steady.Skip(steady.Count / 2).Average();
        var flat = Math.Abs(secondHalf - firstHalf) <= Math.Max(2.0, 0.05 * firstHalf);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            | soak | value |
            |---|---|
            | nodes, snapshots, interval | {nodes:N0}, {options.Snapshots}, {(options.Interval ?? SoakInterval).TotalSeconds:0.###} s |
            | snapshot time, median | {Statistics.Median(seconds):F2} s |
            | live heap after warm-up ({WarmUp} snapshots): min / max | {steady.Min():F1} / {steady.Max():F1} MiB |
            | live heap, mean of first / second half of the rest | {firstHalf:F1} / {secondHalf:F1} MiB |
            | live heap slope | {slopePer100:F2} MiB per 100 snapshots |
            | working set after warm-up: min / max | {workingSetMiB.Skip(WarmUp).Min():F0} / {workingSetMiB.Skip(WarmUp).Max():F0} MiB |
            | flat (halves within max(2 MiB, 5 %)) | {(flat ? "yes" : "NO")} |
            | graph nodes equal the simulator's at the end | {(graphMatches ? "yes" : "NO")} ({actual.Count:N0} / {expected.Count:N0}) |
            """));
        if (options.Out is { } path)
        {
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { nodes, options.Snapshots, heapMiB, workingSetMiB, seconds, flat, graphMatches }));
        }

        return flat && graphMatches ? 0 : 1;
    }
}
