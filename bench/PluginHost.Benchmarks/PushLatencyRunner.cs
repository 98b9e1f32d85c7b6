using System.Diagnostics;
using System.Globalization;
using System.Text;
using PluginHost.Graph;

namespace PluginHost.Benchmarks;

/// <summary>
/// <c>update_method = push</c>: a node flipped in the simulator → its vertex in the graph, one flip
/// at a time, at N nodes. Measured three times in one run: the floor (a bare watch reading the
/// flip's line, <see cref="WatchFloor"/>), the graph version the host pipeline in this process
/// publishes (what the API and the outputs read: the exact moment), and the REST API of a real
/// <c>pluginhost run</c> process, polled every 5 ms (what an operator sees, plus up to 5 ms).
/// </summary>
internal static class PushLatencyRunner
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    public static async Task<int> RunAsync(ScaleOptions options)
    {
        var nodes = options.SingleNodeCount(5000);
        await using var cluster = await BenchmarkCluster.StartAsync(nodes, options.PageSize, watchHistory: 100_000);
        await cluster.AddConfigAsync("update_method = push");
        Console.Error.WriteLine($"{nodes:N0} nodes, {options.Flips} flips: a bare watch (the floor)");
        var floor = await WatchFloor.MeasureAsync(cluster.Simulator, options.Flips, seed: 14);
        Console.Error.WriteLine("in-process graph versions");
        var inProcess = await MeasureInProcessAsync(cluster, nodes, options.Flips);
        await cluster.AddConfigAsync("[api]\nport = 0");
        await cluster.UseLogLevelAsync("info");
        Console.Error.WriteLine("through the REST API of a run process");
        var throughApi = await MeasureThroughApiAsync(cluster, nodes, options.Flips);

        var table = new StringBuilder();
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{nodes:N0} nodes, {options.Flips} flips one at a time (ms from the simulator's change)"));
        table.AppendLine();
        table.AppendLine("| observed at | p50 | p90 | p99 | max | mean | p50 / floor's p50 |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        var floorP50 = Statistics.Percentile(floor, 50);
        foreach (var (name, values) in new[]
        {
            ("a bare watch's line (the floor)", floor),
            ("published graph version (in-process host)", inProcess),
            ("REST API of a `run` process (polled every 5 ms)", throughApi),
        })
        {
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Statistics.Percentile(values, 50):F1} | {Statistics.Percentile(values, 90):F1} | {Statistics.Percentile(values, 99):F1} | {values.Max():F1} | {values.Average():F1} | {Statistics.Percentile(values, 50) / floorP50:F1}× |"));
        }

        Console.WriteLine(table);
        return 0;
    }

    private static async Task<List<double>> MeasureInProcessAsync(BenchmarkCluster cluster, int nodes, int flips)
    {
        await using var host = cluster.CreateHost();
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => host.RunAsync(stop.Token));
        while (host.Versions.Current.LiveVertices.Count(v => v.Type == "kubernetes.node") < nodes)
        {
            await Task.Delay(100);
        }

        var keys = host.Versions.Current.LiveVertices.Where(v => v.Type == "kubernetes.node").ToDictionary(v => v.Name!, v => v.Key);
        Expectation? expected = null;
        void OnPublished(GraphVersion version)
        {
            if (Volatile.Read(ref expected) is { } e && version.Find(e.Key)?.State == e.State)
            {
                e.Seen.TrySetResult(Stopwatch.GetTimestamp());
            }
        }

        host.Versions.Published += OnPublished;
        var random = new Random(15);
        var names = cluster.Simulator.Nodes.Names;
        var latencies = new List<double>(flips);
        for (var i = 0; i < flips; i++)
        {
            var name = names[random.Next(names.Count)];
            var state = NodeFlipper.StateAfterFlip(cluster.Simulator, name);
            var expectation = new Expectation(keys[name], state);
            Volatile.Write(ref expected, expectation);
            var start = Stopwatch.GetTimestamp();
            NodeFlipper.Flip(cluster.Simulator, name);
            var seen = await expectation.Seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
            latencies.Add(Stopwatch.GetElapsedTime(start, seen).TotalMilliseconds);
            await Task.Delay(20);
        }

        host.Versions.Published -= OnPublished;
        await stop.CancelAsync();
        await running;
        return latencies;
    }

    private static async Task<List<double>> MeasureThroughApiAsync(BenchmarkCluster cluster, int nodes, int flips)
    {
        await using var host = await HostProcess.StartAsync(cluster.ConfigFile);
        using var http = new HttpClient { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Roles", "admin");
        http.DefaultRequestHeaders.Add("X-Project-Id", "admin");
        await ApiCalls.WaitForNodesAsync(http, nodes);
        var resources = await ApiCalls.ReadJsonAsync(http, ApiCalls.Post("v1/resources/", new { all_tenants = true, resource_type = "kubernetes.node" }));
        var ids = resources.EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("vitrage_id").GetString()!);
        var random = new Random(16);
        var names = cluster.Simulator.Nodes.Names;
        var latencies = new List<double>(flips);
        for (var i = 0; i < flips; i++)
        {
            var name = names[random.Next(names.Count)];
            var state = NodeFlipper.StateAfterFlip(cluster.Simulator, name);
            var start = Stopwatch.GetTimestamp();
            NodeFlipper.Flip(cluster.Simulator, name);
            while (true)
            {
                var vertex = await ApiCalls.ReadJsonAsync(http, new HttpRequestMessage(HttpMethod.Get, $"v1/resources/{ids[name]}"));
                if (vertex.GetProperty("state").GetString() == state)
                {
                    break;
                }

                if (Stopwatch.GetElapsedTime(start) > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException($"{name} never became {state} in the API");
                }

                await Task.Delay(PollInterval);
            }

            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            await Task.Delay(20);
        }

        return latencies;
    }

    private sealed record Expectation(string Key, string State)
    {
        public TaskCompletionSource<long> Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
