using System.Text.Json;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Cli;

/// <summary>The built host, run as a process, with the Echo plugin dropped into a plugins folder.</summary>
public sealed class SnapshotVerbTests(EchoPluginFolder plugins) : IClassFixture<EchoPluginFolder>
{
    private string Config(TempFolder temp, string entities, string extra = "")
    {
        var entitiesFile = temp.File("entities", entities);
        return temp.File("vitrage.conf", $"""
            [datasources]
            types = echo
            plugin_path = {plugins.Plugins}

            [echo]
            entities_file = {entitiesFile}
            {extra}
            """);
    }

    [Fact]
    public async Task Snapshot_FormatJson_PrintsOnlyTheNodeLinkGraphOnStdout()
    {
        using var temp = new TempFolder();
        var config = Config(temp, "a\nb Down\n");

        var result = await HostProcess.RunAsync("snapshot", "--config-file", config, "--format", "json");

        result.ExitCode.ShouldBe(0, result.Stderr);
        using var graph = JsonDocument.Parse(result.Stdout);
        var root = graph.RootElement;
        root.GetProperty("directed").GetBoolean().ShouldBeTrue();
        root.GetProperty("multigraph").GetBoolean().ShouldBeTrue();
        var nodes = root.GetProperty("nodes").EnumerateArray().ToList();
        nodes.Select(n => $"{n.GetProperty("vitrage_type").GetString()}:{n.GetProperty("id").GetString()}")
            .ShouldBe(["echo.thing:a", "echo.thing:b", "nova.instance:a", "nova.instance:b"]);
        nodes[1].GetProperty("state").GetString().ShouldBe("Down");
        nodes[1].GetProperty("vitrage_datasource_name").GetString().ShouldBe("echo");
        nodes[2].GetProperty("vitrage_is_placeholder").GetBoolean().ShouldBeTrue();
        var link = root.GetProperty("links").EnumerateArray().First();
        link.GetProperty("source").GetInt32().ShouldBe(2);
        link.GetProperty("target").GetInt32().ShouldBe(0);
        link.GetProperty("relationship_type").GetString().ShouldBe("contains");
        link.GetProperty("key").GetString().ShouldBe("contains");
        result.Stderr.ShouldContain("echo init_snapshot complete: 2 events");
    }

    [Fact]
    public async Task Snapshot_TableFormat_SummarizesByTypeAndState()
    {
        using var temp = new TempFolder();
        var config = Config(temp, "a\nb Down\nc\n");

        var result = await HostProcess.RunAsync("snapshot", "--config-file", config);

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("6 vertices (3 placeholders), 3 edges");
        result.Stdout.ShouldContain("  echo.thing: 3 (Down 1, ok 2)");
        result.Stdout.ShouldContain("contains <- nova.instance:a");
    }

    // Found by a hostile test (stop 39): names and states from a datasource reached the terminal
    // raw, in the table and in the log's "snapshot applied" line, so a node name could clear the
    // screen, or rename the window.
    [Theory]
    [InlineData("terminal escapes in a name", "a\u001b[2J\u001b]0;pwned\u0007\n", "thing-a\\u001b[2J\\u001b]0;pwned\\u0007")]
    [InlineData("terminal escapes in a state", "b \u001b[31mDown\n", "echo.thing: 1 (\\u001b[31mDown 1)")]
    [InlineData("a C1 control sequence in a name", "d\u009b2J\n", "thing-d\\u009b2J")]
    public async Task Snapshot_ControlCharactersFromTheDatasource_TableAndLogEscapeThem(string name, string entities, string expected)
    {
        using var temp = new TempFolder();
        var config = Config(temp, entities);

        var result = await HostProcess.RunAsync("snapshot", "--config-file", config);

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain(expected, Case.Sensitive, name);
        result.Stdout.Where(c => char.IsControl(c) && c != '\n').ShouldBeEmpty(name);
        result.Stderr.Where(c => char.IsControl(c) && c != '\n').ShouldBeEmpty(name);
    }

    // A column is as wide as its longest cell: one 100 KB name made every row of the table 100 KB
    // (and the log's "snapshot applied" line as long). Names are cut after 200 characters there.
    [Fact]
    public async Task Snapshot_HugeNameFromTheDatasource_TableAndLogCutIt()
    {
        using var temp = new TempFolder();
        var entities = new string('x', 100_000) + "\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"n{i}\n"));
        var config = Config(temp, entities);

        var result = await HostProcess.RunAsync("snapshot", "--config-file", config);

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("… (100006 characters)");
        result.Stdout.Split('\n').Max(l => l.Length).ShouldBeLessThan(1_000);
        result.Stderr.Split('\n').Max(l => l.Length).ShouldBeLessThan(2_000);
        var json = await HostProcess.RunAsync("snapshot", "--config-file", config, "--format", "json");
        json.Stdout.ShouldContain(new string('x', 100_000)); // the graph itself keeps the whole name
    }

    [Fact]
    public async Task Snapshot_DatasourceFails_ExitsOneAndSaysWhy()
    {
        using var temp = new TempFolder();
        var config = Config(temp, "a\nFAIL\nb\n");

        var result = await HostProcess.RunAsync("snapshot", "--config-file", config, "--format", "json");

        result.ExitCode.ShouldBe(1);
        result.Stderr.ShouldContain("error: datasource echo failed: echo: FAIL line reached");
        JsonDocument.Parse(result.Stdout).RootElement.GetProperty("nodes").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task Snapshot_InvalidOption_ExitsTwoNamingFileLineSectionKeyValue()
    {
        using var temp = new TempFolder();
        var config = Config(temp, "a\n", "fail_on_create = sometimes");

        var result = await HostProcess.RunAsync("snapshot", "--config-file", config);

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain($"error: {config}:7: [echo] fail_on_create = 'sometimes': expected a boolean");
        result.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task Snapshot_PluginRejectsItsConfiguration_ExitsTwo()
    {
        using var temp = new TempFolder();
        var config = Config(temp, "a\n", "reject_config = true");

        var result = await HostProcess.RunAsync("snapshot", "--config-file", config);

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("error: [echo] echo: reject_config is set");
    }

    [Fact]
    public async Task Snapshot_NoPluginFound_ExitsTwoNamingTheFolder()
    {
        using var temp = new TempFolder();
        var config = temp.File("vitrage.conf", $"[datasources]\nplugin_path = {temp.Combine("empty")}\n");
        Directory.CreateDirectory(temp.Combine("empty"));

        var result = await HostProcess.RunAsync("snapshot", "--config-file", config);

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain($"error: no datasource is enabled: no plugin was found in {temp.Combine("empty")}");
    }

    [Fact]
    public async Task Snapshot_WithoutWriteOutputs_LeavesTheConfiguredGraphFileAndEventLogAlone()
    {
        using var temp = new TempFolder();
        var graphFile = temp.File("out/graph.json", "{\"the running service's\": \"graph\"}");
        var eventLog = temp.Combine("out", "events.jsonl");
        var config = Config(temp, "a\nb\n", $"[plugin_host]\ngraph_file = {graphFile}\nevent_log = {eventLog}\n");

        var result = await HostProcess.RunAsync("snapshot", "--config-file", config, "--format", "json");

        result.ExitCode.ShouldBe(0, result.Stderr);
        JsonDocument.Parse(result.Stdout).RootElement.GetProperty("nodes").GetArrayLength().ShouldBe(4);
        File.ReadAllText(graphFile).ShouldBe("{\"the running service's\": \"graph\"}");
        File.Exists(eventLog).ShouldBeFalse();
    }

    [Fact]
    public async Task Snapshot_WriteOutputs_WritesGraphFileAndEventLogWithVitrageKeysAndMode0640()
    {
        using var temp = new TempFolder();
        var graphFile = temp.Combine("out", "graph.json");
        var eventLog = temp.Combine("out", "events.jsonl");
        var config = Config(temp, "a\nb\n", $"[plugin_host]\ngraph_file = {graphFile}\nevent_log = {eventLog}\n");

        var result = await HostProcess.RunAsync("snapshot", "--write-outputs", "--config-file", config);

        result.ExitCode.ShouldBe(0, result.Stderr);
        JsonDocument.Parse(File.ReadAllText(graphFile)).RootElement.GetProperty("nodes").GetArrayLength().ShouldBe(4);
        var lines = File.ReadAllLines(eventLog);
        lines.Length.ShouldBe(2);
        var first = JsonDocument.Parse(lines[0]).RootElement;
        first.GetProperty("vitrage_entity_type").GetString().ShouldBe("echo.thing");
        first.GetProperty("vitrage_datasource_action").GetString().ShouldBe("init_snapshot");
        first.GetProperty("vitrage_datasource_name").GetString().ShouldBe("echo");
        first.GetProperty("vitrage_sample_date").GetString().ShouldEndWith("Z");
        first.GetProperty("id").GetString().ShouldBe("a");
        Directory.GetFiles(temp.Combine("out")).Length.ShouldBe(2); // no temporary file left behind
        const UnixFileMode mode0640 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.GetUnixFileMode(graphFile).ShouldBe(mode0640); // they hold the cluster's inventory
        File.GetUnixFileMode(eventLog).ShouldBe(mode0640);
    }
}
