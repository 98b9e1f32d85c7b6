using System.Text.Json;
using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Operations;

namespace PluginHost.Tests.Api;

/// <summary>
/// <c>update_method = push</c> seen through the API: a watched change is in the answers without a
/// snapshot, and the service list and <c>/metrics</c> show the datasource's watch totals (<c>IDriverCounters</c>).
/// </summary>
public sealed class WatchedClusterApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_PushDatasource_ApiShowsTheWatchedChangeAndTheWatchsTotals()
    {
        await using var host = await ApiHostProcess.StartAsync(nodes: 6, sections: "update_method = push\nsnapshots_interval = 600");
        var nodes = host.Simulator.Nodes;
        var flipped = nodes.Names.First(n => nodes.Get(n)!["status"]!["conditions"]!.AsArray().Any(c => c!["type"]!.GetValue<string>() == "Ready" && c["status"]!.GetValue<string>() == "True"));

        nodes.SetReady(flipped, "False");

        var deadline = DateTime.UtcNow.AddSeconds(10);
        string? state = null;
        while (state != "NotReady" && DateTime.UtcNow < deadline)
        {
            using var response = await host.PostAsync("v1/resources/", new { resource_type = "kubernetes.node", all_tenants = true, query = JsonSerializer.Serialize(new Dictionary<string, object> { ["=="] = new { name = flipped } }) }, cancellationToken: Ct);
            using var resources = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            state = resources.RootElement.EnumerateArray().Select(r => r.GetProperty("state").GetString()).SingleOrDefault();
            await Task.Delay(50, Ct);
        }

        state.ShouldBe("NotReady", host.Stderr);
        host.Simulator.Counters.NodeListRequests.ShouldBe(0); // one WatchList stream: no list, no second snapshot
        using var services = JsonDocument.Parse(await (await host.GetAsync("v1/service/")).Content.ReadAsStringAsync(Ct));
        var datasource = services.RootElement.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "plugin_host.datasource.kubernetes");
        var counters = datasource.GetProperty("counters");
        counters.GetProperty("watch_streams").GetInt64().ShouldBe(1);
        counters.GetProperty("watch_events{type=MODIFIED}").GetInt64().ShouldBeGreaterThanOrEqualTo(1);
        counters.GetProperty("resync_differences").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task Metrics_AfterAWatchWithFaults_ShowTheWatchTotalsPerDatasource()
    {
        await using var host = await ApiHostProcess.StartAsync(nodes: 6, sections: "update_method = push\nsnapshots_interval = 600");
        var simulator = host.Simulator;
        var nodes = simulator.Nodes;
        await WaitUntilAsync(() => simulator.OpenWatches == 1, "the watch", host);

        nodes.SetReady(nodes.Names[1], "False");
        nodes.Delete(nodes.Names[0]);
        simulator.AddGeneratedNodes(1);
        await WaitUntilAsync(async () => await ListedCountersAsync(host) is { } c && new[] { "ADDED", "MODIFIED", "DELETED" }.All(t => c.GetValueOrDefault($"watch_events{{type={t}}}") >= 1),
            "the three changes watched", host);

        // A reconnect that fails once (a backoff), then one that works.
        simulator.Faults.Add(new FaultRule(FaultKind.InternalError) { OnWatch = true, Times = 1 });
        simulator.DropWatches();
        await WaitUntilAsync(() => simulator.Faults.Fired[0] == 1 && simulator.OpenWatches == 1, "the watch after a 500", host);
        simulator.Faults.Clear();

        // Away while the history is compacted: a 410, then a relist.
        simulator.Faults.Add(new FaultRule(FaultKind.InternalError) { OnWatch = true });
        simulator.DropWatches();
        nodes.Delete(nodes.Names[0]);
        nodes.Compact();
        await WaitUntilAsync(() => simulator.Faults.Fired[0] > 0, "a watch answered 500", host);
        simulator.Faults.Clear();
        await host.WaitForLogAsync("Relisted 5 nodes");
        await WaitUntilAsync(() => simulator.OpenWatches == 1, "the watch after the relist", host);

        var listed = (await ListedCountersAsync(host))!;
        using var response = await host.GetAsync("metrics", accept: "text/plain");
        var samples = PrometheusText.Parse(await response.Content.ReadAsStringAsync(Ct));

        double Total(string name, string? type = null) => samples.Single(s => s.Name == $"pluginhost_datasource_{name}_total"
            && s.Labels["datasource"] == "kubernetes" && (type is null ? s.Labels.Count == 1 : s.Labels.GetValueOrDefault("type") == type)).Value;
        Total("watch_streams").ShouldBeGreaterThanOrEqualTo(4, host.Stderr); // WatchList, the 500, the reconnect, the 500s, the relist's WatchList
        Total("watch_reconnects").ShouldBeGreaterThanOrEqualTo(2);
        Total("watch_backoffs").ShouldBeGreaterThanOrEqualTo(2);
        Total("watch_relists").ShouldBe(1);
        Total("watch_events", "MODIFIED").ShouldBeGreaterThanOrEqualTo(1);
        Total("watch_events", "ADDED").ShouldBeGreaterThanOrEqualTo(1);
        Total("watch_events", "DELETED").ShouldBeGreaterThanOrEqualTo(1);
        Total("resync_differences").ShouldBe(0);
        foreach (var stable in new[] { "watch_relists", "watch_events{type=MODIFIED}", "watch_events{type=ADDED}", "watch_events{type=DELETED}" })
        {
            var name = stable.Split('{')[0];
            var type = stable.Contains('{', StringComparison.Ordinal) ? stable.Split('=')[1].TrimEnd('}') : null;
            Total(name, type).ShouldBe(listed[stable], $"{stable}: the service list and /metrics agree");
        }
    }

    // The datasource's counters in the service list.
    private static async Task<Dictionary<string, long>?> ListedCountersAsync(ApiHostProcess host)
    {
        using var response = await host.GetAsync("v1/service/");
        using var services = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return services.RootElement.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "plugin_host.datasource.kubernetes")
            .TryGetProperty("counters", out var counters) ? counters.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()) : null;
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what, ApiHostProcess host) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, host);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, ApiHostProcess host)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"waited 20 s for {what}; stderr:\n{host.Stderr}");
            await Task.Delay(20, Ct);
        }
    }
}
