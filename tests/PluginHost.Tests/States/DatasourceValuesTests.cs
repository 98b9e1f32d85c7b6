using PluginHost.Contracts;
using PluginHost.States;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.States;

public sealed class DatasourceValuesTests
{
    private static readonly string[] DatasourceTypes = ["kubernetes", "nova.instance", "nagios"];

    [Fact]
    public void Load_DebianVitrageFiles_EveryFileIsUsable()
    {
        var folder = VitrageValuesFolder.Path;

        var loaded = DatasourceValuesLoader.Load([folder], DatasourceTypes);

        loaded.Errors.ShouldBeEmpty();
        loaded.Values.Files.Count.ShouldBe(Directory.GetFiles(folder, "*.yaml").Length);
        loaded.Values.Files["nova.instance"].Values["SHELVED_OFFLOADED"].ShouldBe(new MappedValue("DELETED", 80));
        loaded.Values.Files["zabbix"].Category.ShouldBe(EntityCategories.Alarm);
    }

    public static TheoryData<string, string, string, string?, string?, string, string?> VitrageCases => new()
    {
        // name, category, type, state (alarm: severity), vitrage_state, operational, aggregated
        { "a known state", EntityCategories.Resource, "nova.instance", "ACTIVE", null, "OK", "ACTIVE" },
        { "case does not matter", EntityCategories.Resource, "nova.instance", "suspended", null, "SUBOPTIMAL", "SUSPENDED" },
        { "vitrage_state of higher priority wins", EntityCategories.Resource, "nova.instance", "ACTIVE", "ERROR", "ERROR", "ERROR" },
        { "state of higher priority wins", EntityCategories.Resource, "nova.instance", "DELETED", "ERROR", "DELETED", "DELETED" },
        { "a placeholder without state", EntityCategories.Resource, "nova.instance", null, null, "N/A", null },
        { "an unknown state", EntityCategories.Resource, "nova.instance", "MIGRATING", null, "N/A", "MIGRATING" },
        { "a type without file uses default.yaml", EntityCategories.Resource, "router", "available", null, "OK", "AVAILABLE" },
        { "default.yaml does not know it", EntityCategories.Resource, "router", "FLAKY", null, "N/A", "FLAKY" },
        { "a datasource's own type without file", EntityCategories.Resource, "kubernetes", "Ready", null, "undefined datasource", "undefined datasource" },
        { "an alarm's severity", EntityCategories.Alarm, "nagios", "DOWN", null, "CRITICAL", "DOWN" },
        { "an alarm ignores vitrage_state", EntityCategories.Alarm, "nagios", "WARNING", "CRITICAL", "WARNING", "WARNING" },
        { "an alarm without severity", EntityCategories.Alarm, "nagios", null, null, "N/A", null },
    };

    [Theory]
    [MemberData(nameof(VitrageCases))]
    public void Compute_DebianVitrageFiles_AsVitrageComputes(string name, string category, string type, string? state, string? vitrageState,
        string operational, string? aggregated)
    {
        var values = DatasourceValuesLoader.Load([VitrageValuesFolder.Path], DatasourceTypes).Values;

        values.Compute(category, type, state, vitrageState).ShouldBe(new VertexValues(operational, aggregated), name);
    }

    [Fact]
    public void Load_SameTypeInSeveralFolders_OperatorFolderThenPluginThenHost()
    {
        using var temp = new TempFolder();
        temp.File("operator/nova.instance.yaml", Values("RESOURCE", ("ACTIVE", "SUBOPTIMAL", 10)));
        temp.File("plugin/nova.instance.yaml", Values("RESOURCE", ("ACTIVE", "OK", 10)));
        temp.File("plugin/kubernetes.node.yaml", Values("RESOURCE", ("READY", "OK", 10)));
        temp.File("host/kubernetes.node.yaml", Values("RESOURCE", ("READY", "ERROR", 10)));
        temp.File("host/default.yaml", Values("RESOURCE", ("UP", "OK", 10)));

        var values = DatasourceValuesLoader.Load([temp.Combine("operator"), temp.Combine("missing"), temp.Combine("plugin"), temp.Combine("host")], []).Values;

        values.Compute(EntityCategories.Resource, "nova.instance", "ACTIVE").Operational.ShouldBe("SUBOPTIMAL");
        values.Compute(EntityCategories.Resource, "kubernetes.node", "Ready").Operational.ShouldBe("OK");
        values.Compute(EntityCategories.Resource, "switch", "up").Operational.ShouldBe("OK");
        values.Files["kubernetes.node"].Path.ShouldBe(temp.Combine("plugin", "kubernetes.node.yaml"));
    }

    public static TheoryData<string, string, string> BrokenFiles => new()
    {
        // name, content, what the error says (after the file name)
        {
            "YAML error (Vitrage's own erroneous nova.instance.yaml)",
            "category: RESOURCE\nvalues:\n  - aggregated values:\n      priority: 80\n      original values:\n       - name: DELETED\n          operational_value: DELETED\n        - name: HARD_DELETED\n",
            ":7: not valid YAML"
        },
        {
            "an operational value the category does not have",
            "category: RESOURCE\nvalues:\n  - aggregated values:\n      priority: 10\n      original values:\n        - name: ACTIVE\n          operational_value: GREEN\n",
            ":7: values[0].aggregated values.original values[0].operational_value: 'GREEN' is not a RESOURCE value (N/A, OK, TRANSIENT, SUBOPTIMAL, ERROR, DELETED)"
        },
        {
            "a priority that is no number",
            "category: ALARM\nvalues:\n  - aggregated values:\n      priority: high\n      original values: []\n",
            ":4: values[0].aggregated values.priority: 'high' is not an integer"
        },
        { "no category", "values: []\n", ":1: category: missing" },
        { "an unknown category", "category: SERVICE\nvalues: []\n", ":1: category: 'SERVICE' is neither RESOURCE nor ALARM" },
        { "values that are no list", "category: ALARM\nvalues: CRITICAL\n", ":2: values: expected a list" },
        { "an entry without name", "category: ALARM\nvalues:\n  - aggregated values:\n      priority: 1\n      original values:\n        - operational_value: OK\n", ":6: values[0].aggregated values.original values[0].name: missing" },
        { "not a mapping", "- just\n- a list\n", ":1: expected a mapping with 'category' and 'values'" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void Load_BrokenOperatorFile_ErrorNamesFileLineAndEntryAndNextFolderIsUsed(string name, string content, string error)
    {
        using var temp = new TempFolder();
        var broken = temp.File("operator/nova.instance.yaml", content);
        temp.File("plugin/nova.instance.yaml", Values("RESOURCE", ("ACTIVE", "OK", 10)));

        var loaded = DatasourceValuesLoader.Load([temp.Combine("operator"), temp.Combine("plugin")], []);

        loaded.Errors.ShouldHaveSingleItem().ShouldStartWith(broken + error, Case.Sensitive, name);
        loaded.Values.Compute(EntityCategories.Resource, "nova.instance", "active").Operational.ShouldBe("OK", name);
    }

    public enum NotAValuesFile
    {
        NamedPipeWithoutAWriter,
        LinkToAnEndlessDevice,
        LinkToAFilePastTheBound,
    }

    // Found in review (s46): the size check read a link's own size and the file was read with
    // File.ReadAllText, so a link to /dev/zero grew the process without end, and a named pipe
    // called *.yaml hung check-config, run's start and every reload for ever.
    [Theory]
    [InlineData(NotAValuesFile.NamedPipeWithoutAWriter, ": did not open within 5 s (a named pipe without a writer?): a values file must be a file")]
    [InlineData(NotAValuesFile.LinkToAnEndlessDevice, ": larger than 1048576 bytes, not a values file")]
    [InlineData(NotAValuesFile.LinkToAFilePastTheBound, ": larger than 1048576 bytes, not a values file")]
    public void Load_OperatorFileThatIsNoValuesFile_ErrorWithinTheBoundsAndNextFolderIsUsed(NotAValuesFile kind, string error)
    {
        using var temp = new TempFolder();
        var path = temp.Combine("operator", "nova.instance.yaml");
        Directory.CreateDirectory(temp.Combine("operator"));
        switch (kind)
        {
            case NotAValuesFile.NamedPipeWithoutAWriter:
                using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", path))
                {
                    mkfifo.WaitForExit();
                }

                break;
            case NotAValuesFile.LinkToAnEndlessDevice:
                File.CreateSymbolicLink(path, "/dev/zero");
                break;
            case NotAValuesFile.LinkToAFilePastTheBound:
                File.CreateSymbolicLink(path, temp.File("huge.yaml", "category: RESOURCE\n# " + new string('x', 2 << 20) + "\nvalues: []\n"));
                break;
        }

        temp.File("plugin/nova.instance.yaml", Values("RESOURCE", ("ACTIVE", "OK", 10)));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var loaded = DatasourceValuesLoader.Load([temp.Combine("operator"), temp.Combine("plugin")], []);

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), kind.ToString());
        loaded.Errors.ShouldHaveSingleItem().ShouldStartWith(path + error, Case.Sensitive, kind.ToString());
        loaded.Values.Compute(EntityCategories.Resource, "nova.instance", "active").Operational.ShouldBe("OK", kind.ToString());
    }

    private static string Values(string category, params (string Name, string Operational, int Priority)[] values) =>
        $"category: {category}\nvalues:\n" + string.Concat(values.Select(v =>
            $"  - aggregated values:\n      priority: {v.Priority}\n      original values:\n        - name: {v.Name}\n          operational_value: {v.Operational}\n"));
}
