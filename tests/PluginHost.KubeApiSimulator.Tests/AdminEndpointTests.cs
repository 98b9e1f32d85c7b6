using System.Net;
using System.Text;
using System.Text.Json;

namespace PluginHost.KubeApiSimulator.Tests;

public sealed class AdminEndpointTests
{
    [Fact]
    public async Task Admin_AddDeleteFlipAndFault_ChangeWhatTheApiServes()
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 5 }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);
        var ct = TestContext.Current.CancellationToken;

        var added = JsonSerializer.Deserialize<string[]>(await (await client.PostAsync("_sim/nodes?generate=2", null, ct)).Content.ReadAsStringAsync(ct))!;
        (await client.DeleteAsync($"_sim/nodes/{simulator.Nodes.Names[0]}", ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.PostAsync($"_sim/nodes/{added[0]}/ready?status=Unknown", null, ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var list = await RawApi.GetJsonAsync(client, "api/v1/nodes"))
        {
            RawApi.Names(list).Count().ShouldBe(6);
        }

        var ready = simulator.Nodes.Get(added[0])!["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Ready")!;
        ready["status"]!.GetValue<string>().ShouldBe("Unknown");

        using var fault = new StringContent("{\"kind\":\"internalerror\",\"times\":1}", Encoding.UTF8, "application/json");
        (await client.PostAsync("_sim/faults", fault, ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await client.GetAsync("api/v1/nodes", ct)).StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await client.GetAsync("api/v1/nodes", ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var counters = await RawApi.GetJsonAsync(client, "_sim/counters");
        counters.RootElement.GetProperty("list").GetInt32().ShouldBe(3);
        counters.RootElement.GetProperty("nodes").GetInt32().ShouldBe(6);
    }
}
