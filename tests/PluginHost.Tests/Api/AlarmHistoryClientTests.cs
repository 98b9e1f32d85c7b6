using System.Text.Json;
using static PluginHost.Tests.Api.AlarmClientSteps;

namespace PluginHost.Tests.Api;

/// <summary>
/// Node alarms' history through the real path (as <see cref="AlarmClientTests"/>): the real vitrage client
/// reads the history across a restart of the host, and pages it.
/// </summary>
public sealed class AlarmHistoryClientTests
{
    [Fact]
    public async Task VitrageClient_HostRestartedBetweenTwoFlips_AlarmHistoryShowsBoth()
    {
        await using var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 4, api: "port = 0", sections: "snapshots_interval = 10");
        var nodes = cluster.Simulator.Nodes;
        var node = nodes.Names[1];
        await using (var first = await ApiHostProcess.StartOnAsync(cluster, nodes: 4))
        {
            nodes.SetReady(node, "False");
            await WaitForAlarmsAsync(first, 1);
            nodes.SetReady(node, "True");
            await WaitForAlarmsAsync(first, 0);
            (await first.StopAsync()).ShouldBe(0);
        }

        await using var second = await ApiHostProcess.StartOnAsync(cluster, nodes: 4);
        await Task.Delay(1100, TestContext.Current.CancellationToken); // a new lastTransitionTime: a new activation
        nodes.SetReady(node, "False");
        await WaitForAlarmsAsync(second, 1);

        var history = await WaitForHistoryAsync(second.BaseUrl, rows: 2);

        var rows = history.EnumerateArray().ToList();
        rows.Select(r => $"{Text(r, "Name")} on {Text(r, "Resource Type")}").Distinct().ShouldBe(["NodeNotReady on kubernetes.node"]);
        string.CompareOrdinal(Text(rows[0], "Start Time"), Text(rows[1], "Start Time")).ShouldBeLessThan(0);
        Text(rows[0], "End Time").ShouldNotBeNullOrEmpty();
        Text(rows[0], "Severity").ShouldBe("OK"); // an ended alarm, as Vitrage shows it
        Text(rows[1], "End Time").ShouldBeNullOrEmpty(); // the client prints an empty column for an active alarm
        Text(rows[1], "Severity").ShouldBe("CRITICAL");
        File.Exists(Path.Combine(cluster.StateDir, "history.db")).ShouldBeTrue();
    }

    // An alarm had one vitrage_id every time it came back, so a marker named only its latest row: a
    // script paging the history in start order from the first activation's row skipped to the end.
    // Each activation now has an id of its own, as in Vitrage.
    [Fact]
    public async Task VitrageClient_AlarmRaisedAgainBesideAnother_HistoryPagedWithMarkerShowsEveryRowOnce()
    {
        await using var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 4, api: "port = 0", sections: "update_method = push");
        var nodes = cluster.Simulator.Nodes;
        await using var host = await ApiHostProcess.StartOnAsync(cluster, nodes: 4);
        nodes.SetReady(nodes.Names[1], "False");
        await WaitForAlarmsAsync(host, 1);
        await Task.Delay(1100, TestContext.Current.CancellationToken); // starts a second apart: the rows' order is known
        nodes.SetReady(nodes.Names[2], "False");
        await WaitForAlarmsAsync(host, 2);
        nodes.SetReady(nodes.Names[1], "True");
        await WaitForAlarmsAsync(host, 1);
        await Task.Delay(1100, TestContext.Current.CancellationToken); // a new lastTransitionTime: a new activation
        nodes.SetReady(nodes.Names[1], "False");
        await WaitForAlarmsAsync(host, 2);
        var all = (await WaitForHistoryAsync(host.BaseUrl, rows: 3)).EnumerateArray()
            .Select(r => $"{Text(r, "ID")} {Text(r, "Start Time")}").ToList();

        var paged = new List<string>();
        string? marker = null;
        for (var i = 0; i < 5; i++)
        {
            string[] command = marker is null
                ? ["alarm", "history", "--all-tenants", "--limit", "1"]
                : ["alarm", "history", "--all-tenants", "--limit", "1", "--marker", marker];
            var page = (await VitrageClient.RunJsonAsync(host.BaseUrl, command)).EnumerateArray().ToList();
            if (page.Count == 0)
            {
                break;
            }

            paged.Add($"{Text(page[0], "ID")} {Text(page[0], "Start Time")}");
            marker = Text(page[0], "ID");
        }

        paged.ShouldBe(all);
        all.Select(r => r.Split(' ')[0]).Distinct().Count().ShouldBe(3, string.Join("\n", all));
        var current = await VitrageClient.RunJsonAsync(host.BaseUrl, "alarm", "list", "--all-tenants");
        current.EnumerateArray().Select(a => Text(a, "ID")).ShouldBe(all.Skip(1).Select(r => r.Split(' ')[0]), ignoreOrder: true);
    }
}
