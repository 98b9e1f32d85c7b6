using System.Text.Json;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Outputs;

/// <summary>
/// The host's own side failing: a graph file that cannot be written, an event log on a full disk.
/// The graph and the other outputs go on, the error is logged once, the output is retried.
/// </summary>
public sealed class OutputFailureTests(EchoPluginFolder plugins) : IClassFixture<EchoPluginFolder>
{
    private string Config(TempFolder temp, string pluginHost)
    {
        var entities = temp.File("entities", "a\nb\n");
        return temp.File("vitrage.conf", $"""
            [api]
            port = 0
            [datasources]
            plugin_path = {plugins.Plugins}
            snapshots_interval = 10
            [echo]
            entities_file = {entities}
            [plugin_host]
            {pluginHost}
            """);
    }

    private static int Occurrences(string text, string part) => text.Split(part).Length - 1;

    [Fact]
    public async Task Run_GraphFileWhoseFolderIsAFile_LogsOnceKeepsTheEventLogAndWritesOnceFixed()
    {
        using var temp = new TempFolder();
        var blocker = temp.File("out", "a regular file where the graph file's folder should be");
        var graphFile = temp.Combine("out", "graph.json");
        var eventLog = temp.Combine("events.jsonl");
        var config = Config(temp, $"graph_file = {graphFile}\nevent_log = {eventLog}");
        await using var host = RunningHost.Start("run", "--config-file", config);

        // Two snapshots fail to write the graph file; the event log gets both.
        await host.WaitUntilAsync(() => File.Exists(eventLog) && File.ReadAllLines(eventLog).Length >= 4, "two snapshots in the event log", seconds: 40);
        Occurrences(host.Stderr, $"Output graph_file {graphFile} failed:").ShouldBe(1); // once per distinct error
        host.Stderr.ShouldContain(graphFile);

        File.Delete(blocker);
        await host.WaitUntilAsync(() => File.Exists(graphFile), "the graph file once its folder can exist", seconds: 30);
        await host.WaitForLogAsync("Output graph_file");
        JsonDocument.Parse(File.ReadAllText(graphFile)).RootElement.GetProperty("nodes").GetArrayLength().ShouldBe(4);
        await host.WaitForLogAsync($"Output graph_file {graphFile} works again");
        host.Signal(RunningHost.SigTerm);
        await host.WaitForExitAsync();
        host.ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task Run_EventLogOnAFullDisk_LogsOnceAndTheGraphFileGoesOn()
    {
        using var temp = new TempFolder();
        var graphFile = temp.Combine("graph.json");
        var config = Config(temp, $"graph_file = {graphFile}\nevent_log = /dev/full");
        await using var host = RunningHost.Start("run", "--config-file", config);

        await host.WaitUntilAsync(() => File.Exists(graphFile), "the graph file");
        await host.WaitForLogAsync("echo snapshot complete", seconds: 30); // the second snapshot: the pipeline never stalled
        Occurrences(host.Stderr, "Output event_log /dev/full failed: No space left on device").ShouldBe(1);
        host.Signal(RunningHost.SigTerm);
        var took = await host.WaitForExitAsync();
        host.ExitCode.ShouldBe(0, host.Stderr);
        took.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("graph_file under a regular file", "graph_file = {temp}/blocker/graph.json", "output graph_file failed: ")]
    [InlineData("event_log on a full disk", "event_log = /dev/full", "output event_log failed: No space left on device")]
    public async Task Snapshot_OutputThatCannotBeWritten_ExitsOneWithTheMessageInTime(string name, string output, string message)
    {
        using var temp = new TempFolder();
        temp.File("blocker", "not a folder");
        var config = Config(temp, output.Replace("{temp}", temp.Path, StringComparison.Ordinal));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await HostProcess.RunAsync("snapshot", "--write-outputs", "--config-file", config, "--format", "json");

        result.ExitCode.ShouldBe(1, name);
        result.Stderr.ShouldContain($"error: {message}", Case.Sensitive, name);
        JsonDocument.Parse(result.Stdout).RootElement.GetProperty("nodes").GetArrayLength().ShouldBe(4, name); // the graph is still printed
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), name);
    }
}
