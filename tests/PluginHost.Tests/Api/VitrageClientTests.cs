using System.Text.Json;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Api;

/// <summary>The real vitrage client against the real host on a simulated cluster; each answer checked against the simulator's nodes.</summary>
public sealed class VitrageClientTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private ApiHostProcess Host => fixture.Host;

    private IEnumerable<string> NodeNames => Host.Simulator.Nodes.Names.Order(StringComparer.Ordinal);

    private string Uid(string name) => Host.Simulator.Nodes.Get(name)!["metadata"]!["uid"]!.GetValue<string>();

    private async Task<string> ClusterIdAsync()
    {
        var clusters = await VitrageClient.RunJsonAsync(Host.BaseUrl, "resource", "list", "--type", "kubernetes", "--all-tenants");
        return clusters.EnumerateArray().Single().GetProperty("ID").GetString()!;
    }

    [Fact]
    public async Task TopologyShow_AllTenants_ShowsTheClusterAndEveryNode()
    {
        var graph = await VitrageClient.RunJsonAsync(Host.BaseUrl, "topology", "show", "--all-tenants");

        var nodes = graph.GetProperty("nodes").EnumerateArray().ToList();
        nodes.Where(n => n.GetProperty("vitrage_type").GetString() == "kubernetes.node").Select(n => n.GetProperty("name").GetString())
            .Order(StringComparer.Ordinal).ShouldBe(NodeNames);
        nodes.Count(n => n.GetProperty("vitrage_type").GetString() == "kubernetes").ShouldBe(1);
        graph.GetProperty("links").GetArrayLength().ShouldBe(ApiHostFixture.Nodes);
    }

    // README sends users of '-f dot' (which cannot write the nodes' nested fields) here.
    [Fact]
    public async Task TopologyShow_YamlFormat_WritesEveryNode()
    {
        var (exitCode, stdout, stderr) = await VitrageClient.RunAsync(Host.BaseUrl, "topology", "show", "--all-tenants", "-f", "yaml");

        exitCode.ShouldBe(0, stderr);
        foreach (var name in NodeNames)
        {
            stdout.ShouldContain($"name: {name}\n");
        }
    }

    [Fact]
    public async Task TopologyShow_FilterShowingPlaceholders_AddsTheNovaInstances()
    {
        var graph = await VitrageClient.RunJsonAsync(Host.BaseUrl, "topology", "show", "--all-tenants", "--filter", """{"==": {"vitrage_is_deleted": false}}""");

        var instances = graph.GetProperty("nodes").EnumerateArray().Where(n => n.GetProperty("vitrage_type").GetString() == "nova.instance").ToList();
        instances.Count.ShouldBe(ApiHostFixture.Nodes);
        instances.ShouldAllBe(n => n.GetProperty("vitrage_is_placeholder").GetBoolean());
    }

    [Fact]
    public async Task TopologyShow_TreeFromTheCluster_HasEveryNodeAsAChild()
    {
        var cluster = await ClusterIdAsync();

        var tree = await VitrageClient.RunJsonAsync(Host.BaseUrl, "topology", "show", "--graph-type", "tree", "--root", cluster, "--all-tenants");

        tree.GetProperty("vitrage_id").GetString().ShouldBe(cluster);
        tree.GetProperty("graph_index").GetInt32().ShouldBe(0);
        tree.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Order(StringComparer.Ordinal).ShouldBe(NodeNames);
    }

    [Fact]
    public async Task ResourceList_AllTenants_ListsTheClusterAndNodes()
    {
        var resources = (await VitrageClient.RunJsonAsync(Host.BaseUrl, "resource", "list", "--all-tenants")).EnumerateArray().ToList();

        resources.Count.ShouldBe(ApiHostFixture.Nodes + 1);
        resources.Where(r => r.GetProperty("Type").GetString() == "kubernetes.node")
            .Select(r => r.GetProperty("Metadata").GetProperty("name").GetString()).Order(StringComparer.Ordinal).ShouldBe(NodeNames);
    }

    [Fact]
    public async Task ResourceList_TypeKubernetesNode_ShowsEachNodesUidAsDataSourceId()
    {
        var resources = (await VitrageClient.RunJsonAsync(Host.BaseUrl, "resource", "list", "--type", "kubernetes.node", "--all-tenants")).EnumerateArray().ToList();

        resources.ShouldAllBe(r => r.GetProperty("Type").GetString() == "kubernetes.node");
        resources.Select(r => r.GetProperty("Data Source ID").GetString()).Order(StringComparer.Ordinal)
            .ShouldBe(NodeNames.Select(Uid).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ResourceShow_ANode_ShowsItsPropertiesAsTheSimulatorServesThem()
    {
        var name = NodeNames.First();
        var listed = (await VitrageClient.RunJsonAsync(Host.BaseUrl, "resource", "list", "--type", "kubernetes.node", "--all-tenants")).EnumerateArray()
            .Single(r => r.GetProperty("Metadata").GetProperty("name").GetString() == name);

        var node = await VitrageClient.RunJsonAsync(Host.BaseUrl, "resource", "show", listed.GetProperty("ID").GetString()!);

        node.GetProperty("name").GetString().ShouldBe(name);
        node.GetProperty("uid").GetString().ShouldBe(Uid(name));
        var served = Host.Simulator.Nodes.Get(name)!;
        var ready = served["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Ready")!["status"]!.GetValue<string>();
        node.GetProperty("state").GetString().ShouldBe(ready == "True" ? "Ready" : "NotReady");
        node.GetProperty("provider").GetString().ShouldBe("openstack");
    }

    [Fact]
    public async Task ResourceCount_AdminWithoutAllTenants_CountsTheInfrastructure()
    {
        var counts = await VitrageClient.RunJsonAsync(Host.BaseUrl, "resource", "count");

        counts.GetProperty("kubernetes").GetInt32().ShouldBe(1);
        counts.GetProperty("kubernetes.node").GetInt32().ShouldBe(ApiHostFixture.Nodes);
    }

    [Fact]
    public async Task AlarmList_NoAlarmDatasource_IsEmpty()
    {
        (await VitrageClient.RunJsonAsync(Host.BaseUrl, "alarm", "list")).GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Status_Running_IsOk()
    {
        (await VitrageClient.RunJsonAsync(Host.BaseUrl, "status")).GetProperty("reason").GetString().ShouldBe("OK");
    }

    // Vitrage answers 503 until its graph is built; this host said OK while its only datasource had
    // never completed a snapshot, and topology show then printed an empty graph as if the cloud were empty.
    [Fact]
    public async Task Status_DatasourceNeverCompletedASnapshot_FailsSayingTheGraphIsNotReady()
    {
        var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 2, api: "port = 0");
        cluster.Simulator.Faults.Add(new KubeApiSimulator.FaultRule(KubeApiSimulator.FaultKind.InternalError));
        await using var host = await ApiHostProcess.StartOnAsync(cluster, nodes: 2, waitForGraph: false, ownsCluster: true);

        var (exitCode, stdout, stderr) = await VitrageClient.RunAsync(host.BaseUrl, "status");

        exitCode.ShouldBe(1, stdout + stderr);
        (stdout + stderr).Trim().ShouldBe(
            "The graph is not ready: datasource kubernetes has not completed a snapshot yet, so what it reports is missing (pluginhost status says why) (HTTP 503)");
        cluster.Simulator.Faults.Clear();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.WaitForNodesAsync(2, timeout.Token);
        (await VitrageClient.RunJsonAsync(host.BaseUrl, "status")).GetProperty("reason").GetString().ShouldBe("OK");
    }

    [Fact]
    public async Task ServiceList_Running_ShowsTheApiGraphAndDatasource()
    {
        var services = (await VitrageClient.RunJsonAsync(Host.BaseUrl, "service", "list")).EnumerateArray().ToList();

        services.Select(s => s.GetProperty("Name").GetString())
            .ShouldBe(["plugin_host.api", "plugin_host.datasource.kubernetes", "plugin_host.graph"]);
        services.ShouldAllBe(s => s.GetProperty("Process Id").GetInt32() > 0 && s.GetProperty("Hostname").GetString()!.Length > 0);
    }

    public static TheoryData<string, string[], string> NotServedCommands => new()
    {
        // name, client arguments (TEMPLATE: a template file's path), what the error must start with
        { "template versions", ["template", "versions"], "Templates are not served" },
        { "template show", ["template", "show", "0b5b9a9e-6d5f-4f0f-bc17-6a7e5b8f4f2b"], "Templates are not served" },
        { "template add", ["template", "add", "--path", "TEMPLATE"], "Templates are not served" },
        { "template validate", ["template", "validate", "--path", "TEMPLATE"], "Templates are not served" },
        { "template delete", ["template", "delete", "0b5b9a9e-6d5f-4f0f-bc17-6a7e5b8f4f2b"], "Templates are not served" },
        { "webhook add", ["webhook", "add", "--url", "http://127.0.0.1:9/alarms"], "Webhooks are not served" },
        { "webhook show", ["webhook", "show", "0b5b9a9e-6d5f-4f0f-bc17-6a7e5b8f4f2b"], "Webhooks are not served" },
        { "webhook delete", ["webhook", "delete", "0b5b9a9e-6d5f-4f0f-bc17-6a7e5b8f4f2b"], "Webhooks are not served" },
        { "rca show", ["rca", "show", "0b5b9a9e-6d5f-4f0f-bc17-6a7e5b8f4f2b"], "Root cause analysis is not served" },
        { "event post", ["event", "post", "--type", "compute.host.down"], "Posting events is not served" },
    };

    // What this host does not do fails with a sentence saying so, not a 404 or 405 that reads like a
    // wrong endpoint or an old server.
    [Theory]
    [MemberData(nameof(NotServedCommands))]
    public async Task NotServedCommand_RealClient_FailsSayingItIsNotServed(string name, string[] command, string expected)
    {
        using var folder = new TempFolder();
        var template = folder.File("template.yaml", """
            metadata:
              version: 3
              name: host_down
              type: standard
            entities:
              host:
                type: nova.host
            scenarios:
              - condition: host
                actions:
                  - set_state:
                      state: ERROR
                      target: host
            """);

        var (exitCode, stdout, stderr) = await VitrageClient.RunAsync(Host.BaseUrl, [.. command.Select(a => a == "TEMPLATE" ? template : a)]);

        exitCode.ShouldBe(1, $"{name}: {stdout}{stderr}");
        var error = (stdout + stderr).Trim();
        error.ShouldStartWith(expected, Case.Sensitive, name);
        error.ShouldEndWith("(HTTP 501)", Case.Sensitive, name);
    }
}
