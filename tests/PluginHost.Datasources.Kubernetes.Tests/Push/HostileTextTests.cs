using System.Text.Json.Nodes;
using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests.Push;

/// <summary>Text an API server controls reaches the host's log escaped, through the host's pipeline.</summary>
public sealed class HostileTextTests
{
    // case, a node name as a hostile server sends it, how the log line must show it
    public static TheoryData<string, string, string> Names => new()
    {
        { "an ANSI escape sequence", "evil\u001b[2J\u001b[31mred", "evil\\u001b[2J\\u001b[31mred" },
        { "a forged second line", "evil\n2026-11-29 14:00:00.000 1 ERROR PluginHost [-] forged", "evil\\n2026-11-29 14:00:00.000 1 ERROR PluginHost [-] forged" },
        { "a carriage return", "evil\rforged", "evil\\rforged" },
    };

    // Found by a hostile test (stop 39): the Kubernetes driver logs what the server sent (a node's
    // name, a watch line that is not JSON, a Status message) as it came, and so did the host's line of
    // what a snapshot changed (node names), so a newline forged log lines and escape sequences reached
    // the terminal; the host now escapes every datasource line and every change summary.
    [Theory]
    [MemberData(nameof(Names))]
    public async Task Run_NodeNameWithControlCharacters_LoggedEscaped(string name, string hostileName, string escaped)
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 3 });
        var first = cluster.Simulator.Nodes.Get(cluster.Simulator.Nodes.Names[0])!;

        // A node repeating the first one's uid is skipped with a warning that names it.
        var hostile = (JsonObject)first.DeepClone();
        hostile["metadata"]!["name"] = hostileName;
        cluster.Simulator.Nodes.Add(hostile);
        using var temp = new TempFolder();
        await using var host = PushHost.Start(PushHost.Config(temp, cluster.Kubeconfig, "snapshots_interval = 3600"));

        // The plugin's warning names the nodes of that uid; the host's line of what the snapshot added names the one kept.
        await host.WaitUntilAsync(() => host.Logs.Warnings.Any(w => w.Message.Contains("repeating another node's uid", StringComparison.Ordinal))
            && host.Logs.Entries.Any(e => e.Message.Contains("snapshot applied", StringComparison.Ordinal)), $"{name}: the warning and the snapshot's line");

        host.Logs.Warnings.ShouldContain(w => w.Message.Contains(escaped, StringComparison.Ordinal), name);
        host.Logs.Entries.ShouldContain(e => e.Message.Contains("snapshot applied", StringComparison.Ordinal) && e.Message.Contains(escaped, StringComparison.Ordinal), name);
        host.Logs.Entries.ShouldAllBe(e => !e.Message.Any(char.IsControl), name);
    }
}
