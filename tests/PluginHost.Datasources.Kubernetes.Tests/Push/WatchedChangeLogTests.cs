using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests.Push;

/// <summary>
/// Watched changes are logged as one line a second per datasource, not one line per change, and
/// the lines still count every change by kind.
/// </summary>
public sealed partial class WatchedChangeLogTests
{
    // case, nodes flipped NotReady, one every so many ms
    [Theory]
    [InlineData("one change", 1, 0)]
    [InlineData("a steady stream for 1.5 s", 30, 50)]
    public async Task Watch_StreamOfChanges_OneLineASecondCountingEveryChange(string name, int flips, int everyMs)
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 40 });
        using var temp = new TempFolder();
        await using var host = PushHost.Start(PushHost.Config(temp, cluster.Kubeconfig, "snapshots_interval = 3600"));
        await host.WaitUntilAsync(() => host.Nodes().Count == 40 && cluster.Simulator.OpenWatches == 1, $"{name}: the first snapshot and the watch");
        var ready = PushHost.Expected(cluster.Simulator).Where(n => n.Value == "Ready").Select(n => n.Key).Take(flips).ToList();
        ready.Count.ShouldBe(flips, name);
        var linesBefore = Lines(host).Count;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var node in ready)
        {
            cluster.Simulator.Nodes.SetReady(node, "False");
            await Task.Delay(everyMs, TestContext.Current.CancellationToken);
        }

        await host.WaitUntilAsync(() => ready.All(n => host.Nodes()[n] == "NotReady"), $"{name}: the flips in the graph");
        var lasted = clock.Elapsed; // the changes last until the graph has them all (the publication window, a busy machine's lag)
        await host.WaitUntilAsync(() => Lines(host).Skip(linesBefore).Sum(ChangedState) == flips, $"{name}: every flip counted in the log", seconds: 10);

        var lines = Lines(host).Skip(linesBefore).ToList();
        // One line at once, then at most one a second while the changes last, and the last second's after them.
        lines.Count.ShouldBeLessThanOrEqualTo(2 + (int)lasted.TotalSeconds, $"{name}: {lines.Count} lines in {lasted.TotalSeconds:F1} s:\n{string.Join("\n", lines)}");
        if (flips == 1)
        {
            lines.Count.ShouldBe(1, name); // after a quiet second, at once
            lines[0].ShouldContain($"1 changed state ({ready[0]} NotReady)", Case.Sensitive, name);
            lines[0].ShouldContain("1 added (", Case.Sensitive, name); // its NodeNotReady alarm
        }
    }

    // The info lines of changes made outside snapshots ("kubernetes: ..."), in order.
    private static List<string> Lines(PushHost host) =>
        host.Logs.Entries.Where(e => e.Level == LogLevel.Information && e.Message.StartsWith("kubernetes: ", StringComparison.Ordinal))
            .Select(e => e.Message).ToList();

    private static int ChangedState(string line) =>
        ChangedStateCount().Match(line) is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"(\d+) changed state")]
    private static partial Regex ChangedStateCount();
}
