using System.Diagnostics;
using System.Text.Json;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Cli;

public sealed class RunVerbTests(EchoPluginFolder plugins) : IClassFixture<EchoPluginFolder>
{
    [Fact]
    public async Task Run_Sigterm_StopsGracefullyFlushesOutputsAndExitsZero()
    {
        using var temp = new TempFolder();
        var graphFile = temp.Combine("graph.json");
        var eventLog = temp.Combine("events.jsonl");
        var entities = temp.File("entities", "a\nb\n");
        var config = temp.File("vitrage.conf", $"""
            [datasources]
            plugin_path = {plugins.Plugins}
            snapshots_interval = 10
            [api]
            port = 0
            [plugin_host]
            graph_file = {graphFile}
            event_log = {eventLog}
            [echo]
            entities_file = {entities}
            """);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { TestRepository.HostDll, "run", "--config-file", config })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (!File.Exists(graphFile))
            {
                await Task.Delay(50, timeout.Token);
            }
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        process.ExitCode.ShouldBe(0, await stderr);
        (await stderr).ShouldContain("Stopped");
        File.ReadAllLines(eventLog).Length.ShouldBeGreaterThanOrEqualTo(2);
        JsonDocument.Parse(File.ReadAllText(graphFile)).RootElement.GetProperty("nodes").GetArrayLength().ShouldBe(4);
    }
}
