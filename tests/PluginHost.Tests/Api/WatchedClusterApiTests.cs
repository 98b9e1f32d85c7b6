using System.Text.Json;

namespace PluginHost.Tests.Api;

/// <summary>
/// <c>update_method = push</c> seen through the API: a watched change is in the answers without a
/// snapshot, and the service list shows the datasource's watch totals (<c>IDriverCounters</c>).
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
        counters.GetProperty("watch_events").GetInt64().ShouldBeGreaterThanOrEqualTo(1);
        counters.GetProperty("resync_differences").GetInt64().ShouldBe(0);
    }
}
