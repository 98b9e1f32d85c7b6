namespace PluginHost.Datasources.Static.Tests;

public sealed class StaticValidationTests
{
    public static TheoryData<string, string, string> BrokenFiles => new()
    {
        { "missing definitions", "metadata:\n  name: x\n", "bad.yaml: 'definitions' is missing (a static file has 'metadata' and 'definitions')" },
        { "missing static_id", "definitions:\n  entities:\n    - {type: switch, id: '1'}\n", "bad.yaml: definitions.entities[0] (line 3): 'static_id' is missing" },
        { "missing type", "definitions:\n  entities:\n    - {static_id: a, id: '1'}\n    - {static_id: b, id: '2'}\n", "bad.yaml: definitions.entities[0] (line 3): 'type' is missing" },
        { "missing id", "definitions:\n  entities:\n    - {static_id: a, type: switch, id: '1'}\n    - {static_id: b, type: switch}\n", "bad.yaml: definitions.entities[1] (line 4): 'id' is missing" },
        { "duplicate static_id", "definitions:\n  entities:\n    - {static_id: a, type: switch, id: '1'}\n    - {static_id: a, type: switch, id: '2'}\n", "bad.yaml: definitions.entities[1] (line 4): static_id 'a' is already used by definitions.entities[0]" },
        { "unknown relationship target", "definitions:\n  entities:\n    - {static_id: a, type: switch, id: '1'}\n  relationships:\n    - {source: a, target: b, relationship_type: attached}\n", "bad.yaml: definitions.relationships[0] (line 5): target 'b' is not a static_id of this file" },
        { "unknown relationship source", "definitions:\n  entities:\n    - {static_id: a, type: switch, id: '1'}\n  relationships:\n    - {source: z, target: a, relationship_type: attached}\n", "bad.yaml: definitions.relationships[0] (line 5): source 'z' is not a static_id of this file" },
        { "unknown relationship_type", "definitions:\n  entities:\n    - {static_id: a, type: switch, id: '1'}\n    - {static_id: b, type: switch, id: '2'}\n  relationships:\n    - {source: a, target: b, relationship_type: linked}\n", "bad.yaml: definitions.relationships[0] (line 6): relationship_type 'linked' is not one of Vitrage's labels (on, contains, causes, attached, attached_public, attached_private, connect, managed_by, comprised)" },
        { "an alarm", "definitions:\n  entities:\n    - {static_id: a, type: switch, id: '1'}\n    - {static_id: b, type: maintenance, id: '2', category: ALARM}\n", "bad.yaml: definitions.entities[1] (line 4): category 'ALARM' is not allowed: a static file describes resources (RESOURCE, the default)" },
        { "another word", "definitions:\n  entities:\n    - {static_id: a, type: switch, id: '1', category: resource}\n", "bad.yaml: definitions.entities[0] (line 3): category 'resource' is not allowed: a static file describes resources (RESOURCE, the default)" },
        { "YAML syntax error", "definitions:\n  entities:\n    - static_id: a\n     type: switch\n", "bad.yaml: invalid YAML at line 4, column 6: " },

        // Found by a hostile test (stop 38): the first two overflowed the stack and killed the host,
        // the third took 6 GB, the fourth failed every file of the folder without naming this one.
        { "a recursive alias", "definitions:\n  entities:\n    - &e {static_id: z, type: t, id: i, p: *e}\n", "bad.yaml: line 3: YAML aliases (*e) are not supported in static files; write the value out" },
        { "30,000 levels of nesting", "definitions:\n  entities:\n    - {static_id: z, type: t, id: i, p: " + new string('[', 30_000) + new string(']', 30_000) + "}\n", "bad.yaml: line 3: nested deeper than 40 levels" },
        { "nested aliases (billion laughs)", "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\ndefinitions:\n  entities: []\n", "bad.yaml: line 2: YAML aliases (*a) are not supported in static files; write the value out" },
        // Found by a hostile test: switch/'a:b' and 'switch:a'/b are both RESOURCE:switch:a:b, and the second vanished without a word.
        { "a ':' in the type", "definitions:\n  entities:\n    - {static_id: a, type: switch, id: 'a:b'}\n    - {static_id: b, type: 'switch:a', id: b}\n", "bad.yaml: definitions.entities[1] (line 4): type 'switch:a' contains ':', which would make its vertex key (category:type:id) ambiguous" },
        { "a list as a mapping key", "definitions:\n  entities:\n    - static_id: a\n      type: switch\n      id: '1'\n      p:\n        ? [a, b]\n        : 1\n", "bad.yaml: line 7: a mapping key must be a plain value, not a list or a mapping" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public async Task Read_BrokenFile_IsLoggedWithFileEntryAndFieldAndOtherFilesStillLoad(string name, string yaml, string expected)
    {
        await using var folder = new StaticFolder();
        folder.Write("good.yaml", StaticFolder.VitrageSample);
        var bad = folder.Write("bad.yaml", yaml);

        var events = await folder.GetAllAsync();

        events.Count.ShouldBe(4, name);
        var error = folder.Logger.Errors.ShouldHaveSingleItem(name);
        error.ShouldStartWith(System.IO.Path.Combine(folder.Path, expected), Case.Sensitive, name);
        error.ShouldEndWith("; it is skipped", Case.Sensitive, name);
        bad.ShouldNotBeNull();
    }

    public static TheoryData<string> UnreadableFiles => new() { "not UTF-8", "larger than 16 MiB", "a symlink to /dev/zero" };

    [Theory]
    [MemberData(nameof(UnreadableFiles))]
    public async Task Read_FileNotUtf8OrUnbounded_IsLoggedOnceWithItsNameAndOtherFilesStillLoad(string name)
    {
        await using var folder = new StaticFolder();
        folder.Write("good.yaml", StaticFolder.VitrageSample);
        var bad = System.IO.Path.Combine(folder.Path, "bad.yaml");
        switch (name)
        {
            case "not UTF-8":
                File.WriteAllBytes(bad, [.. "definitions:\n  entities:\n    - {static_id: a, type: switch, id: 'i"u8, 0xFF, 0xFE, .. "'}\n"u8]);
                break;
            case "larger than 16 MiB":
                File.WriteAllText(bad, "definitions:\n  entities: []\n# " + new string('x', 17 << 20) + "\n");
                break;
            default:
                File.CreateSymbolicLink(bad, "/dev/zero");
                break;
        }

        (await folder.GetAllAsync()).Count.ShouldBe(4, name);
        (await folder.GetChangesAsync()).ShouldBeEmpty(name);

        var error = folder.Logger.Errors.ShouldHaveSingleItem(name); // once, not every pass
        error.ShouldStartWith(bad + ": " + (name == "not UTF-8" ? "not valid UTF-8" : "larger than 16 MiB"), Case.Sensitive, name);
        error.ShouldEndWith("; it is skipped", Case.Sensitive, name);
    }

    // Found by a hostile test (stop 38): the open() of a FIFO blocked the snapshot, and a stop, for ever.
    [Fact]
    public async Task Read_NamedPipeInTheFolder_SkippedAfterFiveSecondsAndOtherFilesStillLoad()
    {
        await using var folder = new StaticFolder();
        folder.Write("good.yaml", StaticFolder.VitrageSample);
        var fifo = System.IO.Path.Combine(folder.Path, "pipe.yaml");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
            mkfifo.ExitCode.ShouldBe(0);
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        (await folder.GetAllAsync()).Count.ShouldBe(4);
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
        (await folder.GetChangesAsync()).ShouldBeEmpty(); // waits on the same blocked open, not a new one

        folder.Logger.Errors.ShouldHaveSingleItem().ShouldStartWith(fifo + ": did not open within 5 s (a named pipe?)");
        await File.WriteAllTextAsync(fifo, "definitions:\n  entities: []\n", TestContext.Current.CancellationToken); // lets the blocked open end
    }

    [Fact]
    public async Task Read_FileBrokenAfterItLoaded_KeepsItsLastGoodContentInTheGraph()
    {
        await using var folder = new StaticFolder();
        folder.Write("sample.yaml", StaticFolder.VitrageSample);
        var graph = new StaticGraph(folder);
        await graph.SnapshotAsync();
        var before = graph.LiveKeys.ToList();

        folder.Write("sample.yaml", StaticFolder.VitrageSample.Replace("definitions:", "definitions: [", StringComparison.Ordinal));
        (await graph.ChangesAsync()).ShouldBeEmpty();
        await graph.SnapshotAsync();

        graph.LiveKeys.ShouldBe(before);
        folder.Logger.Errors.ShouldHaveSingleItem().ShouldEndWith("; its last good content stays in the graph");

        folder.Write("sample.yaml", StaticFolder.VitrageSample.Replace("router-1", "router-one", StringComparison.Ordinal));
        (await graph.ChangesAsync()).Single().Properties.GetProperty("id").GetString().ShouldBe("34567");
        graph.Vertex("router", "34567").Name.ShouldBe("router-one");
    }

    [Fact]
    public async Task Read_SameBrokenFileTwice_LogsItOnce()
    {
        await using var folder = new StaticFolder();
        folder.Write("bad.yaml", "metadata: {}\n");

        await folder.GetAllAsync();
        await folder.GetChangesAsync();
        await folder.GetAllAsync();

        folder.Logger.Errors.Count().ShouldBe(1);
    }
}
