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

    public static TheoryData<string, string, string, string> NodeChanges => new()
    {
        // case, method, admin path after the node's name, what the served node then holds
        { "a pressure condition", "POST", "conditions/MemoryPressure?status=True", "MemoryPressure=True" },
        { "a new condition type", "POST", "conditions/KernelDeadlock?status=True", "KernelDeadlock=True" },
        { "a taint", "POST", "taints/node.kubernetes.io/unreachable?effect=NoExecute", "taint node.kubernetes.io/unreachable:NoExecute" },
        { "a cordon", "POST", "cordon", "unschedulable" },
    };

    [Theory]
    [MemberData(nameof(NodeChanges))]
    public async Task Admin_NodeConditionTaintOrCordon_ServedAndUndone(string name, string method, string path, string expected)
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 1 }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);
        var ct = TestContext.Current.CancellationToken;
        var node = simulator.Nodes.Names[0];
        simulator.Nodes.SetUnschedulable(node, false);

        (await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"_sim/nodes/{node}/{path}"), ct)).StatusCode.ShouldBe(HttpStatusCode.OK, name);
        Facts(simulator, node).ShouldContain(expected, name);

        var undo = path.StartsWith("conditions/", StringComparison.Ordinal)
            ? new HttpRequestMessage(HttpMethod.Post, $"_sim/nodes/{node}/{path.Replace("True", "False", StringComparison.Ordinal)}")
            : new HttpRequestMessage(HttpMethod.Delete, $"_sim/nodes/{node}/{path.Split('?')[0]}");
        (await client.SendAsync(undo, ct)).StatusCode.ShouldBe(HttpStatusCode.OK, name);
        Facts(simulator, node).ShouldNotContain(expected, name);
    }

    // What the served node says about its conditions, taints and cordon, one fact per item.
    private static List<string> Facts(KubeApiSimulator simulator, string node)
    {
        var json = simulator.Nodes.Get(node)!;
        var facts = json["status"]!["conditions"]!.AsArray().Select(c => $"{c!["type"]}={c["status"]}").ToList();
        facts.AddRange((json["spec"]?["taints"]?.AsArray() ?? []).Select(t => $"taint {t!["key"]}:{t["effect"]}"));
        if (json["spec"]?["unschedulable"]?.GetValue<bool>() == true)
        {
            facts.Add("unschedulable");
        }

        return facts;
    }
}
