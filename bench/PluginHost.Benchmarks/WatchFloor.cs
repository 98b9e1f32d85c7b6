using System.Diagnostics;
using System.Globalization;

namespace PluginHost.Benchmarks;

/// <summary>
/// The latency floor of a watch: a bare HttpClient watch on the simulator, one line read at a
/// time, each line only searched for the node's name. Nothing that learns of a change through the
/// same watch can see it sooner; the host adds parsing, the transformer, the graph queue and the
/// publication of a graph version.
/// </summary>
internal static class WatchFloor
{
    public static async Task<List<double>> MeasureAsync(KubeApiSimulator.KubeApiSimulator simulator, int flips, int seed)
    {
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl, Timeout = Timeout.InfiniteTimeSpan };
        var version = simulator.Nodes.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        using var response = await http.GetAsync($"api/v1/nodes?watch=true&resourceVersion={version}&timeoutSeconds=3600", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var random = new Random(seed);
        var names = simulator.Nodes.Names;
        var latencies = new List<double>(flips);
        for (var i = 0; i < flips; i++)
        {
            var name = names[random.Next(names.Count)];
            var wanted = $"\"name\":\"{name}\"";
            var start = Stopwatch.GetTimestamp();
            NodeFlipper.Flip(simulator, name);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (await reader.ReadLineAsync(timeout.Token) is { } line && !line.Contains(wanted, StringComparison.Ordinal))
            {
                // another node's event or a bookmark
            }

            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            await Task.Delay(20);
        }

        return latencies;
    }
}
