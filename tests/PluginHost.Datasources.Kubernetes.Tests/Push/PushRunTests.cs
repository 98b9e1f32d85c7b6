using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PluginHost.History;
using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests.Push;

/// <summary>The built host's <c>run</c> with <c>update_method = push</c>: outputs follow the watch, and a stop during a watch is quick and clean.</summary>
public sealed partial class PushRunTests
{
    private static string Config(TempFolder temp, SimulatedCluster cluster, string pluginHost = "") => temp.File("vitrage.conf", $"""
        [datasources]
        types = kubernetes
        plugin_path = {TestRepository.HostPluginFolder}
        [api]
        port = 0
        [plugin_host]
        {pluginHost}
        [kubernetes]
        config_file = {cluster.Kubeconfig}
        update_method = push
        snapshots_interval = 600
        """);

    // The node's state in the graph file, or "absent"; null while the file is not there yet.
    private static string? StateInGraphFile(string graphFile, string node)
    {
        try
        {
            using var graph = JsonDocument.Parse(File.ReadAllText(graphFile));
            return graph.RootElement.GetProperty("nodes").EnumerateArray()
                .Where(n => n.GetProperty("vitrage_type").GetString() == "kubernetes.node" && n.GetProperty("name").GetString() == node)
                .Select(n => n.GetProperty("state").GetString()).FirstOrDefault() ?? "absent";
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    private static bool EventLogHasUpdate(string eventLog, string node, string watchType)
    {
        try
        {
            return File.ReadLines(eventLog).Any(line => line.Contains("\"vitrage_datasource_action\":\"update\"", StringComparison.Ordinal)
                && line.Contains($"\"watch_event_type\":\"{watchType}\"", StringComparison.Ordinal) && line.Contains($"\"name\":\"{node}\"", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Run_WatchedChanges_ReachTheGraphFileAndTheEventLogWithoutASnapshot()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 8 });
        using var temp = new TempFolder();
        var graphFile = temp.Combine("graph.json");
        var eventLog = temp.Combine("events.jsonl");
        await using var host = RunningHost.Start("run", "--config-file", Config(temp, cluster, $"graph_file = {graphFile}\nevent_log = {eventLog}"));
        var nodes = cluster.Simulator.Nodes;
        var flipped = nodes.Names.First(n => PushHost.Expected(cluster.Simulator)[n] == "Ready");
        var deleted = nodes.Names.Last();
        await host.WaitUntilAsync(() => cluster.Simulator.OpenWatches == 1 && StateInGraphFile(graphFile, flipped) == "Ready", "the watch and the graph file");

        nodes.SetReady(flipped, "False");
        nodes.Delete(deleted);

        await host.WaitUntilAsync(() => StateInGraphFile(graphFile, flipped) == "NotReady", "the flip in the graph file", seconds: 10);
        await host.WaitUntilAsync(() => StateInGraphFile(graphFile, deleted) == "absent", "the deletion in the graph file", seconds: 10);
        await host.WaitUntilAsync(() => EventLogHasUpdate(eventLog, flipped, "MODIFIED") && EventLogHasUpdate(eventLog, deleted, "DELETED"), "both in the event log", seconds: 10);
        cluster.Simulator.Counters.NodeListRequests.ShouldBe(0); // one WatchList stream did it all: no list, no other snapshot
        cluster.Simulator.Counters.WatchRequests.ShouldBe(1);
        // Watched changes are told as they are applied; the deletion may share the flip's line or have its own.
        await host.WaitForLogAsync($"1 changed state ({flipped} NotReady)", seconds: 10);
    }

    [Fact]
    public async Task Run_SteadyWatchedChanges_EachIsInTheEventLogWithinASecond()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 10 });
        using var temp = new TempFolder();
        var eventLog = temp.Combine("events.jsonl");
        await using var host = RunningHost.Start("run", "--config-file", Config(temp, cluster, $"event_log = {eventLog}"));
        await host.WaitUntilAsync(() => cluster.Simulator.OpenWatches == 1 && File.Exists(eventLog), "the watch and the event log");
        var nodes = cluster.Simulator.Nodes;
        using var reading = new CancellationTokenSource();
        var seen = new ConcurrentDictionary<long, DateTime>();
        var reader = Task.Run(() => FollowAsync(eventLog, seen, reading.Token), TestContext.Current.CancellationToken);

        // 10 changes a second for 3 seconds: the writer is never idle for long, yet each line must be on disk within the second.
        var made = new List<(long Version, DateTime At)>();
        for (var i = 0; i < 30; i++)
        {
            var name = nodes.Names[i % nodes.Count];
            nodes.SetReady(name, i / nodes.Count % 2 == 0 ? "False" : "True");
            made.Add((nodes.ResourceVersion, DateTime.UtcNow));
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await host.WaitUntilAsync(() => made.All(m => seen.ContainsKey(m.Version)), "every change in the event log", seconds: 10);
        await reading.CancelAsync();
        await reader;
        var lags = made.Select(m => seen[m.Version] - m.At).ToList();
        // The promise is one second; half a second more for the watch, the queue and a busy test machine.
        lags.Max().ShouldBeLessThan(TimeSpan.FromSeconds(1.5), string.Join(", ", lags.Select(l => l.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture))));
    }

    // Reads the event log as it grows and notes when each watched node version first reached the file.
    private static async Task FollowAsync(string path, ConcurrentDictionary<long, DateTime> seen, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var text = new StringBuilder();
        var buffer = new byte[1 << 16];
        while (!cancellationToken.IsCancellationRequested)
        {
            var read = await file.ReadAsync(buffer, CancellationToken.None);
            if (read == 0)
            {
                await Task.Delay(10, CancellationToken.None);
                continue;
            }

            var now = DateTime.UtcNow;
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            var content = text.ToString();
            var end = content.LastIndexOf('\n');
            foreach (var line in content[..(end + 1)].Split('\n'))
            {
                if (line.Contains("\"watch_event_type\":\"MODIFIED\"", StringComparison.Ordinal)
                    && ResourceVersion().Match(line) is { Success: true } version)
                {
                    seen.TryAdd(long.Parse(version.Groups[1].Value, CultureInfo.InvariantCulture), now);
                }
            }

            text.Clear().Append(content[(end + 1)..]);
        }
    }

    [Theory]
    [InlineData("SIGTERM", RunningHost.SigTerm)]
    [InlineData("SIGINT", RunningHost.SigInt)]
    public async Task Run_SignalDuringAWatch_ExitsZeroWithinASecond(string name, int signal)
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 5 });
        using var temp = new TempFolder();
        await using var host = RunningHost.Start("run", "--config-file", Config(temp, cluster));
        await host.WaitUntilAsync(() => cluster.Simulator.OpenWatches == 1, "the watch");
        await host.WaitForLogAsync("kubernetes init_snapshot complete");

        host.Signal(signal);
        var took = await host.WaitForExitAsync();

        host.ExitCode.ShouldBe(0, host.Stderr);
        took.ShouldBeLessThan(TimeSpan.FromSeconds(1), name);
        host.Stderr.ShouldNotContain("ERROR", Case.Sensitive, name);
        await host.WaitUntilAsync(() => cluster.Simulator.OpenWatches == 0, "the watch closed", seconds: 5);
    }

    // case, how many Ready nodes turn NotReady in the burst (each starts an alarm)
    [Theory]
    [InlineData("a few alarms", 3)]
    [InlineData("a burst of alarms", 50)]
    public async Task Run_SigtermRightAfterABurstOfAlarms_EveryAlarmInTheHistory(string name, int burst)
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 60 });
        using var temp = new TempFolder();
        var database = temp.Combine("state", "history.db");
        await using var host = RunningHost.Start("run", "--config-file", Config(temp, cluster, $"state_dir = {temp.Combine("state")}"));
        using var api = new HttpClient { BaseAddress = await host.ApiUrlAsync(), Timeout = TimeSpan.FromSeconds(10) };
        api.DefaultRequestHeaders.Add("X-Roles", "admin");
        api.DefaultRequestHeaders.Add("X-Project-Id", "admin");
        await host.WaitUntilAsync(() => cluster.Simulator.OpenWatches == 1, "the watch");
        await host.WaitForLogAsync("kubernetes init_snapshot complete");
        await host.WaitForGraphReadyAsync(api); // a moment after that line: the publication
        var before = (await AlarmIdsAsync(api)).Count;
        var nodes = cluster.Simulator.Nodes;
        var ready = nodes.Names.Where(n => PushHost.Expected(cluster.Simulator)[n] == "Ready").Take(burst).ToList();
        ready.Count.ShouldBe(burst, name);

        ready.ForEach(n => nodes.SetReady(n, "False"));
        HashSet<string> alarms = [];
        for (var deadline = DateTime.UtcNow.AddSeconds(10); (alarms = await AlarmIdsAsync(api)).Count < before + burst;)
        {
            (DateTime.UtcNow < deadline).ShouldBeTrue($"{name}: waited for {before + burst} alarms, the API has {alarms.Count}");
        }

        // At once: the history's batch window (0.2 s) is still open for most of these rows.
        host.Signal(RunningHost.SigTerm);
        await host.WaitForExitAsync();

        host.ExitCode.ShouldBe(0, host.Stderr);
        var open = new AlarmHistoryReader(database).Read(new AlarmHistoryQuery()).Where(r => r.End is null)
            .Select(r => JsonDocument.Parse(r.Payload).RootElement.GetProperty("vitrage_id").GetString()!).ToHashSet(StringComparer.Ordinal);
        open.ShouldBe(alarms, ignoreOrder: true, name);
        host.Stderr.ShouldNotContain("were not written", Case.Sensitive, name);
    }

    // The vitrage ids of the active alarms the API serves (the published graph).
    private static async Task<HashSet<string>> AlarmIdsAsync(HttpClient api)
    {
        using var list = JsonDocument.Parse(await api.GetStringAsync("v1/alarm/?all_tenants=true", TestContext.Current.CancellationToken));
        return list.RootElement.EnumerateArray().Select(a => a.GetProperty("vitrage_id").GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("\"resourceVersion\":\"([0-9]+)\"")]
    private static partial Regex ResourceVersion();
}
