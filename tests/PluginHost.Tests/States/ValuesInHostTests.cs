using System.Text.Json;
using PluginHost.Tests.Api;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.States;

/// <summary>The built host's <c>snapshot</c> on a simulated cluster: the values files decide the states it prints.</summary>
public sealed class ValuesInHostTests
{
    public static TheoryData<string, string, string> OperatorFiles => new()
    {
        // case, the operator's kubernetes.node.yaml, a Ready node's vitrage_operational_state
        { "none: the plugin's file", "", "OK" },
        { "the operator's file wins", "category: RESOURCE\nvalues:\n  - aggregated values:\n      priority: 10\n      original values:\n        - name: Ready\n          operational_value: SUBOPTIMAL\n", "SUBOPTIMAL" },
        { "a broken one is skipped: the plugin's file", "category: RESOURCE\nvalues:\n  - aggregated values:\n      priority: ten\n", "OK" },
    };

    [Theory]
    [MemberData(nameof(OperatorFiles))]
    public async Task Snapshot_OperatorValuesFolder_StatesFromTheFileThatWins(string name, string operatorFile, string state)
    {
        await using var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 2, api: "enabled = false");
        var folder = cluster.Folder.Combine("values");
        Directory.CreateDirectory(folder);
        if (operatorFile.Length > 0)
        {
            cluster.Folder.File("values/kubernetes.node.yaml", operatorFile);
        }

        var values = cluster.Folder.File("values.conf", $"[entity_graph]\ndatasources_values_dir = {folder}\n");

        var result = await HostProcess.RunAsync("snapshot", "--format", "json", "--config-file", cluster.ConfigFile, "--config-file", values);

        result.ExitCode.ShouldBe(0, result.Stderr);
        using var graph = JsonDocument.Parse(result.Stdout);
        var nodes = graph.RootElement.GetProperty("nodes").EnumerateArray().ToList();
        nodes.Where(n => n.GetProperty("vitrage_type").GetString() == "kubernetes.node")
            .Select(n => n.GetProperty("vitrage_operational_state").GetString()).Distinct().ShouldBe([state], name);
        nodes.Single(n => n.GetProperty("vitrage_type").GetString() == "kubernetes").GetProperty("vitrage_operational_state").GetString().ShouldBe("N/A", name);
        nodes.Where(n => n.GetProperty("vitrage_type").GetString() == "nova.instance")
            .ShouldAllBe(n => n.GetProperty("vitrage_operational_state").GetString() == "N/A" && n.GetProperty("vitrage_aggregated_state").ValueKind == JsonValueKind.Null);
        if (name.StartsWith("a broken", StringComparison.Ordinal))
        {
            result.Stderr.ShouldContain($"{Path.Combine(folder, "kubernetes.node.yaml")}:4: values[0].aggregated values.priority: 'ten' is not an integer", Case.Sensitive, name);
        }
    }
}
