using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PluginHost.Benchmarks;

/// <summary>
/// End-to-end runs against the in-process simulator: for each node count, the floor (GET and
/// parse every page) and get_all → graph through the real plugin and host pipeline, interleaved,
/// each the median of several runs after a warm-up; plus the peak working set of a real
/// <c>snapshot</c> process.
/// </summary>
internal static class ScaleCommand
{
    public static async Task<int> RunAsync(ScaleOptions options)
    {
        if (options.Soak)
        {
            return await SoakRunner.RunAsync(options);
        }

        if (options.Notifications)
        {
            return await NotificationRunner.RunAsync(options);
        }

        if (options.Index)
        {
            return IndexRunner.Run(options);
        }

        if (options.Api)
        {
            return await ApiRunner.RunAsync(options);
        }

        if (options.Cold)
        {
            return await ColdRunner.RunAsync(options);
        }

        if (options.Run)
        {
            return await RunSoakRunner.RunAsync(options);
        }

        if (options.Startup)
        {
            return await StartupRunner.RunAsync(options);
        }

        if (options.PushLatency)
        {
            return await PushLatencyRunner.RunAsync(options);
        }

        if (options.PushLoad)
        {
            return await PushLoadRunner.RunAsync(options);
        }

        if (options.PushRequests)
        {
            return await PushRequestsRunner.RunAsync(options);
        }

        if (options.Breakdown)
        {
            return await BreakdownRunner.RunAsync(options);
        }

        Console.Error.WriteLine($"plugins: {BenchmarkPaths.PluginFolder}");
        var results = new List<ScaleResult>();
        foreach (var nodes in options.Nodes)
        {
            results.Add(await MeasureAsync(nodes, options));
            Console.Error.WriteLine($"{nodes} nodes done");
        }

        var table = Render(results);
        Console.WriteLine(table);
        if (options.Out is { } path)
        {
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new
            {
                date = DateTimeOffset.UtcNow,
                machine = new { Environment.ProcessorCount, os = Environment.OSVersion.ToString(), runtime = Environment.Version.ToString() },
                options.Runs,
                options.PageSize,
                results = results.Select(r => new { r.Nodes, r.FloorMs, r.PipelineMs, r.Ratio, r.FloorAllocatedMiB, r.PipelineAllocatedMiB, r.SnapshotProcessPeakMiB, r.SnapshotProcessSeconds, r.Vertices, r.Edges }),
            }, new JsonSerializerOptions { WriteIndented = true }));
        }

        return 0;
    }

    private static async Task<ScaleResult> MeasureAsync(int nodes, ScaleOptions options)
    {
        await using var cluster = await BenchmarkCluster.StartAsync(nodes, options.PageSize);
        using var floor = new FloorReader(cluster.Simulator.BaseUrl, options.PageSize);
        await using var host = cluster.CreateHost();

        // Warm-up: JIT, connection pools, and the graph's first build.
        (await floor.ReadAllAsync()).ShouldBe(nodes);
        (await host.SnapshotOnceAsync(CancellationToken.None)).Count.ShouldBe(0);

        var floorMs = new List<double>();
        var pipelineMs = new List<double>();
        var floorAlloc = new List<double>();
        var pipelineAlloc = new List<double>();
        for (var run = 0; run < options.Runs; run++)
        {
            var (ms, alloc) = await TimeAsync(() => floor.ReadAllAsync());
            floorMs.Add(ms);
            floorAlloc.Add(alloc);
            (ms, alloc) = await TimeAsync(() => host.SnapshotOnceAsync(CancellationToken.None));
            pipelineMs.Add(ms);
            pipelineAlloc.Add(alloc);
        }

        var vertices = host.Graph.LiveVertices.Count();
        var edges = host.Graph.LiveEdges.Count();
        var (peak, seconds, exit) = await ProcessPeakMemory.SnapshotAsync(cluster.ConfigFile);
        exit.ShouldBe(0);
        return new ScaleResult(nodes, Statistics.Median(floorMs), Statistics.Median(pipelineMs),
            Statistics.Median(floorAlloc), Statistics.Median(pipelineAlloc), peak, seconds, vertices, edges);
    }

    private static async Task<(double Milliseconds, double AllocatedMiB)> TimeAsync<T>(Func<Task<T>> work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await work();
        clock.Stop();
        return (clock.Elapsed.TotalMilliseconds, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024.0 / 1024.0);
    }

    internal static string Render(IReadOnlyList<ScaleResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| nodes | floor (ms) | get_all → graph (ms) | ratio | allocated, floor (MiB) | allocated, get_all → graph (MiB) | `snapshot` process peak WS (MiB) | `snapshot` process wall (s) | vertices | edges |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Nodes:N0} | {r.FloorMs:F1} | {r.PipelineMs:F1} | {r.Ratio:F2}× | {r.FloorAllocatedMiB:F1} | {r.PipelineAllocatedMiB:F1} | {r.SnapshotProcessPeakMiB:F0} | {r.SnapshotProcessSeconds:F2} | {r.Vertices:N0} | {r.Edges:N0} |"));
        }

        var five = results.FirstOrDefault(r => r.Nodes == 5000);
        var twenty = results.FirstOrDefault(r => r.Nodes == 20000);
        if (five is not null && twenty is not null)
        {
            text.AppendLine();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"20,000 / 5,000 nodes: get_all → graph {twenty.PipelineMs / five.PipelineMs:F2}× (floor {twenty.FloorMs / five.FloorMs:F2}×)"));
        }

        return text.ToString();
    }
}

/// <summary>Checks a benchmark's own preconditions without a test framework.</summary>
internal static class BenchmarkChecks
{
    public static void ShouldBe<T>(this T actual, T expected)
    {
        if (!EqualityComparer<T>.Default.Equals(actual, expected))
        {
            throw new InvalidOperationException($"benchmark precondition failed: expected {expected}, got {actual}");
        }
    }
}
