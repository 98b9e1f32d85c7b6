using System.Globalization;
using System.Net;
using System.Text.Json;

namespace PluginHost.KubeApiSimulator.Tests;

public sealed class NodeListTests
{
    [Fact]
    public async Task List_Paged_CountsEveryPageAndReportsRemainingItems()
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 1001 }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);
        var names = new List<string>();
        string? next = null;
        do
        {
            using var page = await RawApi.GetJsonAsync(client, next is null ? "api/v1/nodes?limit=500" : $"api/v1/nodes?limit=500&continue={Uri.EscapeDataString(next)}");
            names.AddRange(RawApi.Names(page));
            var metadata = page.RootElement.GetProperty("metadata");
            next = metadata.TryGetProperty("continue", out var c) ? c.GetString() : null;
            if (next is not null)
            {
                metadata.GetProperty("remainingItemCount").GetInt32().ShouldBe(1001 - names.Count);
            }

            long.Parse(metadata.GetProperty("resourceVersion").GetString()!, CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
        }
        while (next is not null);

        names.Count.ShouldBe(1001);
        names.ShouldBe(names.Order(StringComparer.Ordinal));
        simulator.Counters.NodeListRequests.ShouldBe(3);
        simulator.Counters.ContinueRequests.ShouldBe(2);
        simulator.Counters.Limits.ShouldBe([500, 500, 500]);
    }

    [Theory]
    [InlineData("one node", 1, 500)]
    [InlineData("a full page with more to come", 1200, 500)]
    [InlineData("no limit", 30, 0)]
    public async Task List_WrittenNodeByNode_SendsTheBytesAndLengthOfTheComposedPage(string name, int nodes, int limit)
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = nodes }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);
        var path = limit > 0 ? $"api/v1/nodes?limit={limit}" : "api/v1/nodes";
        using var streamed = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var streamedBytes = await streamed.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        // A slow body is sent from the page composed in one array, as before.
        simulator.Faults.Add(new FaultRule(FaultKind.SlowBody) { Delay = TimeSpan.Zero });
        using var composed = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var composedBytes = await composed.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        streamed.StatusCode.ShouldBe(HttpStatusCode.OK, name);
        streamed.Content.Headers.ContentLength.ShouldBe(streamedBytes.Length, name);
        streamedBytes.ShouldBe(composedBytes, name);
        using var list = JsonDocument.Parse(streamedBytes);
        RawApi.Names(list).Count().ShouldBe(Math.Min(nodes, limit > 0 ? limit : nodes), name);
    }

    [Theory]
    [InlineData("label exists", "labelSelector=node-role.kubernetes.io/control-plane", 3)]
    [InlineData("label absent", "labelSelector=!node-role.kubernetes.io/control-plane", 297)]
    [InlineData("label value", "labelSelector=topology.kubernetes.io/zone%3Dnova-az1", 100)]
    [InlineData("label value not", "labelSelector=topology.kubernetes.io/zone!%3Dnova-az1", 200)]
    [InlineData("field name", "fieldSelector=metadata.name%3Dsim-cluster-worker-00042", 1)]
    public async Task List_Selector_FiltersNodes(string name, string query, int expected)
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 300, Provider = ProviderMode.OpenStack }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);

        using var list = await RawApi.GetJsonAsync(client, "api/v1/nodes?" + query);

        RawApi.Names(list).Count().ShouldBe(expected, name);
    }

    [Fact]
    public async Task Get_UnknownNode_Answers404Status()
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 1 }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);

        using var response = await client.GetAsync("api/v1/nodes/nope", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("nodes \\u0022nope\\u0022 not found");
    }

    [Fact]
    public async Task Generate_SameSeed_SameNodesAndOtherSeedOtherNodes()
    {
        static string[] Nodes(int seed) => NodeGenerator.Generate(new SimulatorOptions { NodeCount = 50, Seed = seed }).Select(n => n.ToJsonString()).ToArray();

        Nodes(7).ShouldBe(Nodes(7));
        Nodes(7).ShouldNotBe(Nodes(8));
    }

    [Fact]
    public void Generate_Nodes_AreRealisticAndSizedLikeRealOnes()
    {
        var nodes = NodeGenerator.Generate(new SimulatorOptions { NodeCount = 500, Provider = ProviderMode.Mixed }).ToList();
        var sizes = nodes.Select(n => n.ToJsonString().Length).ToList();

        sizes.Average().ShouldBeInRange(3500, 7000);
        var first = JsonDocument.Parse(nodes[0].ToJsonString()).RootElement;
        first.GetProperty("status").GetProperty("conditions").GetArrayLength().ShouldBe(5);
        first.GetProperty("status").GetProperty("images").GetArrayLength().ShouldBe(10);
        first.GetProperty("status").GetProperty("daemonEndpoints").GetProperty("kubeletEndpoint").GetProperty("Port").GetInt32().ShouldBe(10250);
        var providers = nodes.Select(n => n["spec"]!["providerID"]?.GetValue<string>()?.Split("://")[0] ?? "none").Distinct().Order();
        providers.ShouldBe(["aws", "azure", "gce", "none", "openstack"]);
        var states = nodes.Select(n => n["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Ready")!["status"]!.GetValue<string>()).ToList();
        states.ShouldContain("False");
        states.ShouldContain("Unknown");
        states.Count(s => s == "True").ShouldBeGreaterThan(450);
        nodes.Count(n => n["metadata"]!["labels"]!.AsObject().ContainsKey("node-role.kubernetes.io/control-plane")).ShouldBe(3);
    }

    [Fact]
    public async Task List_TwentyThousandNodes_ServesThemAll()
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 20_000 }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);
        var count = 0;
        string? next = null;
        do
        {
            using var page = await RawApi.GetJsonAsync(client, next is null ? "api/v1/nodes?limit=2000" : $"api/v1/nodes?limit=2000&continue={Uri.EscapeDataString(next)}");
            count += page.RootElement.GetProperty("items").GetArrayLength();
            next = page.RootElement.GetProperty("metadata").TryGetProperty("continue", out var c) ? c.GetString() : null;
        }
        while (next is not null);

        count.ShouldBe(20_000);
    }

    // GKE's largest clusters: every node served once, in pages of the driver's default size, with
    // its own pod CIDR (IPv4 /24s run out at 32,768 nodes) and the right remaining count throughout.
    [Fact]
    public async Task List_SixtyFiveThousandNodes_ServesEachOnceWithItsOwnPodCidr()
    {
        const int nodes = 65_000;
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = nodes, Provider = ProviderMode.OpenStack }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var podCidrs = new HashSet<string>(StringComparer.Ordinal);
        string? next = null;
        do
        {
            using var page = await RawApi.GetJsonAsync(client, next is null ? "api/v1/nodes?limit=500" : $"api/v1/nodes?limit=500&continue={Uri.EscapeDataString(next)}");
            foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
            {
                names.Add(item.GetProperty("metadata").GetProperty("name").GetString()!).ShouldBeTrue();
                podCidrs.Add(item.GetProperty("spec").GetProperty("podCIDR").GetString()!).ShouldBeTrue();
            }

            var metadata = page.RootElement.GetProperty("metadata");
            next = metadata.TryGetProperty("continue", out var c) ? c.GetString() : null;
            if (next is not null)
            {
                metadata.GetProperty("remainingItemCount").GetInt32().ShouldBe(nodes - names.Count);
            }
        }
        while (next is not null);

        names.Count.ShouldBe(nodes);
    }

    [Fact]
    public async Task Fixtures_VitrageSpecNodeAndYamlFile_AreServedAsWritten()
    {
        var folder = Directory.CreateTempSubdirectory("sim-fixture-");
        var fixture = Path.Combine(folder.FullName, "nodes.yaml");
        await File.WriteAllTextAsync(fixture, """
            apiVersion: v1
            kind: NodeList
            items:
            - metadata:
                name: yaml-node
                uid: "1234"
                labels:
                  kubernetes.io/hostname: yaml-node
              spec:
                providerID: aws:///eu-west-1a/i-0abc
              status:
                addresses:
                - type: InternalIP
                  address: 10.1.2.3
            """, TestContext.Current.CancellationToken);
        await using var simulator = await KubeApiSimulator.StartAsync(
            new SimulatorOptions { NodeCount = 0, IncludeVitrageSpecNode = true, FixtureFile = fixture }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);

        using var spec = await RawApi.GetJsonAsync(client, "api/v1/nodes/bcmt-control-01");
        using var yaml = await RawApi.GetJsonAsync(client, "api/v1/nodes/yaml-node");

        spec.RootElement.GetProperty("metadata").GetProperty("uid").GetString().ShouldBe("68011206-d4d6-11e7-9c63-fa163e2e2123");
        spec.RootElement.GetProperty("spec").GetProperty("providerID").GetString().ShouldBe("openstack:///41c40aab-80e9-4bb6-a280-27976bfc811f");
        yaml.RootElement.GetProperty("metadata").GetProperty("uid").GetString().ShouldBe("1234");
        yaml.RootElement.GetProperty("status").GetProperty("addresses")[0].GetProperty("address").GetString().ShouldBe("10.1.2.3");
        folder.Delete(true);
    }
}
