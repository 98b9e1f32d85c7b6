using System.Text.Json;
using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests.Push;

/// <summary>The built host's <c>run</c> with <c>update_method = push</c>: outputs follow the watch, and a stop during a watch is quick and clean.</summary>
public sealed class PushRunTests
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
}
