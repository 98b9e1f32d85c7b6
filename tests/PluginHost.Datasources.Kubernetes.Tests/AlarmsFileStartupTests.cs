using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests;

/// <summary>
/// When a broken alarm mapping surfaces, verb by verb, through the built host. The operator's
/// <c>alarms_file</c> is read at start by every verb: exit 2 naming the file and line, before any
/// request to the cluster. The file the plugin ships is read by an enabled datasource's driver at
/// start (check-config, snapshot, run: the same exit 2) and otherwise on the node transformer's
/// first event; <c>plugins</c> only lists entity types and does not read it (bench/README.md, start-up).
/// </summary>
public sealed class AlarmsFileStartupTests
{
    // Line 4 is where the parser finds the flow sequence unclosed.
    private const string BrokenMapping = "conditions:\n  - condition: Ready\n    status: [False\n";

    public static TheoryData<string, bool, string[], int> Cases => new()
    {
        // name, the shipped file (else the operator's alarms_file) is broken, verb, exit code
        { "plugins, operator's file: exit 2 naming it, no listing", false, ["plugins"], 2 },
        { "plugins, shipped file: not read, entity types listed", true, ["plugins"], 0 },
        { "check-config, operator's file", false, ["check-config"], 2 },
        { "check-config, shipped file", true, ["check-config"], 2 },
        { "snapshot, operator's file: no graph printed", false, ["snapshot", "--format", "json"], 2 },
        { "snapshot, shipped file: no graph printed", true, ["snapshot", "--format", "json"], 2 },
        { "run, operator's file: stops at start", false, ["run"], 2 },
        { "run, shipped file: stops at start", true, ["run"], 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Verb_BrokenAlarmMapping_ErrorAtStartNamesFileAndLine(string name, bool shipped, string[] verb, int exitCode)
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 2 });
        using var temp = new TempFolder();
        var plugins = temp.Combine("plugins");
        var plugin = temp.DropPlugin(plugins, Path.Combine(TestRepository.HostPluginFolder, "PluginHost.Datasources.Kubernetes"));
        var broken = shipped
            ? temp.File(Path.Combine("plugins", "PluginHost.Datasources.Kubernetes", "node_alarms.yaml"), BrokenMapping)
            : temp.File("alarms.yaml", BrokenMapping);
        var config = temp.File("vitrage.conf", $"""
            [datasources]
            types = kubernetes
            plugin_path = {plugins}
            [plugin_host]
            state_dir = {temp.Combine("state")}
            [api]
            port = 0
            [entity_graph]
            datasources_values_dir = {temp.Combine("no-operator-values")}
            [kubernetes]
            config_file = {cluster.Kubeconfig}
            {(shipped ? string.Empty : $"alarms_file = {broken}")}
            """);

        var result = await HostProcess.RunAsync([.. verb, "--config-file", config]);

        result.ExitCode.ShouldBe(exitCode, $"{name}\n{result.Stderr}");
        result.Stderr.ShouldNotContain("Unhandled exception", Case.Sensitive, name);
        if (exitCode == 0)
        {
            result.Stdout.ShouldContain("entity types: kubernetes, kubernetes.node", Case.Sensitive, name);
            File.Exists(Path.Combine(plugin, "node_alarms.yaml")).ShouldBeTrue(name);
        }
        else
        {
            result.Stderr.ShouldContain($"error: [kubernetes] {broken}:4: not valid YAML", Case.Sensitive, name);
            result.Stdout.ShouldBeEmpty(name);
        }

        cluster.Simulator.Counters.NodeListRequests.ShouldBe(0, name);
    }
}
