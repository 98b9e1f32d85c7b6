using System.Text.Json;
using static PluginHost.Tests.Api.AlarmClientSteps;

namespace PluginHost.Tests.Api;

/// <summary>
/// Node alarms through the real path: the simulator flips nodes, the built host runs (<c>run</c>)
/// with the real Kubernetes plugin, and the real vitrage client reads alarms and counts, and pages them.
/// The history across restarts is in <see cref="AlarmHistoryClientTests"/> and <see cref="AlarmRestartTests"/>
/// (three classes, so that xunit runs them side by side: most of their time is spent waiting for hosts).
/// </summary>
public sealed class AlarmClientTests
{
    [Fact]
    public async Task VitrageClient_NotReadyAndPressuredNodes_AlarmListAndCountShowThem()
    {
        await using var host = await StartWithAlarmsAsync();
        var nodes = host.Simulator.Nodes;

        var alarms = await VitrageClient.RunJsonAsync(host.BaseUrl, "alarm", "list", "--all-tenants");
        var count = await VitrageClient.RunJsonAsync(host.BaseUrl, "alarm", "count", "--all-tenants");

        alarms.EnumerateArray().Select(a => (Text(a, "Name"), Text(a, "Type"), Text(a, "Resource Type"), Text(a, "Severity"))).ShouldBe(
        [
            ("NodeCordoned", "kubernetes.node.condition", "kubernetes.node", "OK"),
            ("NodeDiskPressure", "kubernetes.node.condition", "kubernetes.node", "WARNING"),
            ("NodeMemoryPressure", "kubernetes.node.condition", "kubernetes.node", "WARNING"),
            ("NodeNotReady", "kubernetes.node.condition", "kubernetes.node", "CRITICAL"),
        ], ignoreOrder: true);
        count.EnumerateObject().Select(c => $"{c.Name} {c.Value.GetInt32()}").ShouldBe(["CRITICAL 1", "N/A 0", "OK 1", "SEVERE 0", "WARNING 2"], ignoreOrder: true);
        var notReady = alarms.EnumerateArray().Single(a => Text(a, "Name") == "NodeNotReady");
        var resource = await VitrageClient.RunJsonAsync(host.BaseUrl, "resource", "show", Text(notReady, "Resource ID")!);
        Text(resource, "name").ShouldBe(nodes.Names[0]);
        Text(resource, "vitrage_operational_state").ShouldBe("ERROR");
        var shown = await VitrageClient.RunJsonAsync(host.BaseUrl, "alarm", "show", Text(notReady, "ID")!);
        Text(shown, "vitrage_aggregated_severity").ShouldBe("CRITICAL");
        Text(shown, "reason").ShouldBe("KubeletNotReady");
    }

    // Found by a hostile test (stop 38): alarm list ignored marker, sort and filters, so a script
    // paging with --marker got the first page for ever.
    [Fact]
    public async Task VitrageClient_AlarmListPagedWithMarker_EachAlarmOnceAndTheEndEmpty()
    {
        await using var host = await StartWithAlarmsAsync(pidPressure: true);
        var all = Ids(await VitrageClient.RunJsonAsync(host.BaseUrl, "alarm", "list", "--all-tenants"));
        all.Count.ShouldBe(5);

        var pages = new List<List<string>>();
        string? marker = null;
        for (var i = 0; i < 4 && (i == 0 || marker is not null); i++)
        {
            string[] command = marker is null ? ["alarm", "list", "--all-tenants", "--limit", "2"] : ["alarm", "list", "--all-tenants", "--limit", "2", "--marker", marker];
            var page = Ids(await VitrageClient.RunJsonAsync(host.BaseUrl, command));
            pages.Add(page);
            marker = page.Count == 0 ? null : page[^1];
        }

        pages.Select(p => p.Count).ShouldBe([2, 2, 1, 0]);
        pages.SelectMany(p => p).ShouldBe(all); // in the list's order, each once

        // What the client does not offer but sends, as Vitrage takes it: other sort keys, the previous page, filters.
        (await NamesAsync(host, "sort_by=name&sort_dirs=desc")).ShouldBe(["NodePIDPressure", "NodeNotReady", "NodeMemoryPressure", "NodeDiskPressure", "NodeCordoned"]);
        (await NamesAsync(host, $"limit=2&marker={all[4]}&next_page=False")).Count.ShouldBe(2);
        (await NamesAsync(host, "filter_by=name&filter_vals=pressure&sort_by=name&sort_dirs=asc"))
            .ShouldBe(["NodeDiskPressure", "NodeMemoryPressure", "NodePIDPressure"]);
        // A marker keeps its place in the sort order when a filter hides its own alarm, as in the history.
        var cordoned = all[Names(await VitrageClient.RunJsonAsync(host.BaseUrl, "alarm", "list", "--all-tenants")).IndexOf("NodeCordoned")];
        (await NamesAsync(host, $"filter_by=name&filter_vals=pressure&sort_by=name&sort_dirs=asc&marker={cordoned}"))
            .ShouldBe(["NodeDiskPressure", "NodeMemoryPressure", "NodePIDPressure"]);
        using var bad = await host.GetAsync("v1/alarm/?vitrage_id=all&all_tenants=True&sort_by=colour");
        ((int)bad.StatusCode).ShouldBe(400);
    }

    // A marker that named no alarm gave an empty page, so a script paging with a stale marker (its
    // alarm ended, its history row aged out) or a mistyped one stopped as if nothing came after it.
    // Vitrage serves the first page again (its marker lookup finds no row and paginates from the start),
    // which loops such a script for ever. Now it is a 400 that names the marker, as OpenStack's APIs
    // (Nova's "marker not found") answer it.
    [Theory]
    [InlineData("list")]
    [InlineData("history")]
    public async Task VitrageClient_MarkerOfNoAlarm_RefusedNamingTheMarker(string command)
    {
        await using var host = await StartWithAlarmsAsync();
        await WaitForHistoryAsync(host.BaseUrl, rows: 4);

        var (exitCode, stdout, stderr) = await VitrageClient.RunAsync(host.BaseUrl, "alarm", command, "--all-tenants", "--marker", "no-such-alarm", "-f", "json");

        exitCode.ShouldNotBe(0, stdout);
        stderr.ShouldContain("marker = 'no-such-alarm' names no");
        using var response = await host.GetAsync($"v1/alarm/{(command == "history" ? "history/" : "")}?vitrage_id=all&all_tenants=True&marker=no-such-alarm");
        ((int)response.StatusCode).ShouldBe(400);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        error.RootElement.GetProperty("description").GetString()!.ShouldContain("ask again without marker");
    }

    // The list's marker was looked for among the active alarms only: a script paging 'alarm list'
    // while an alarm ended (the one it had just been given) got a 400 on its next page. Vitrage serves
    // the list from its history table, where the ended alarm's row still is, and goes on after it.
    [Fact]
    public async Task VitrageClient_AlarmListMarkerEndedSinceThePreviousPage_NextPageGoesOnAfterIt()
    {
        await using var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 4, api: "port = 0", sections: "update_method = push");
        var nodes = cluster.Simulator.Nodes;
        await using var host = await ApiHostProcess.StartOnAsync(cluster, nodes: 4);
        for (var i = 0; i < 3; i++)
        {
            nodes.SetReady(nodes.Names[i], "False");
            await WaitForAlarmsAsync(host, i + 1);
            await Task.Delay(1100, TestContext.Current.CancellationToken); // starts a second apart: the order is known
        }

        await WaitForHistoryAsync(host.BaseUrl, rows: 3);
        var all = Ids(await VitrageClient.RunJsonAsync(host.BaseUrl, "alarm", "list", "--all-tenants"));
        var first = Ids(await VitrageClient.RunJsonAsync(host.BaseUrl, "alarm", "list", "--all-tenants", "--limit", "1"));
        first.ShouldBe(all.Take(1));

        nodes.SetReady(nodes.Names[0], "True"); // the alarm just paged ends
        await WaitForAlarmsAsync(host, 2);
        var second = Ids(await VitrageClient.RunJsonAsync(host.BaseUrl, "alarm", "list", "--all-tenants", "--limit", "1", "--marker", first[0]));
        var rest = Ids(await VitrageClient.RunJsonAsync(host.BaseUrl, "alarm", "list", "--all-tenants", "--marker", first[0]));

        second.ShouldBe(all.Skip(1).Take(1));
        rest.ShouldBe(all.Skip(1));
    }

    // Vitrage reads limit 0 as "no limit" for alarm list as for the history (one query serves both);
    // the list answered 400 "expected an integer of at least 1" to 'vitrage alarm list --limit 0'.
    [Fact]
    public async Task VitrageClient_AlarmListLimitZero_ShowsEveryAlarm()
    {
        await using var host = await StartWithAlarmsAsync();
        var all = Ids(await VitrageClient.RunJsonAsync(host.BaseUrl, "alarm", "list", "--all-tenants"));

        var unlimited = Ids(await VitrageClient.RunJsonAsync(host.BaseUrl, "alarm", "list", "--all-tenants", "--limit", "0"));

        all.Count.ShouldBe(4);
        unlimited.ShouldBe(all);
    }
}
