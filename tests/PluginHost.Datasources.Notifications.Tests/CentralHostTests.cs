using PluginHost.Graph;
using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Notifications;
using PluginHost.Scheduling;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Notifications.Tests;

/// <summary>
/// The reference deployment: two edge hosts (one per simulated cluster) publish to RabbitMQ, one
/// central host rebuilds both graphs with the notifications plugin from the real plugins folder.
/// </summary>
public sealed class CentralHostTests
{
    [Fact]
    public async Task Central_TwoEdgeClusters_HoldsBothAndFollowsTheirDeletions()
    {
        await using (await TestBroker.ConnectAsync())
        {
        }

        using var temp = new TempFolder();
        var exchange = $"pluginhost_central_{Guid.NewGuid():N}";
        var topic = $"central_{Guid.NewGuid():N}";
        await using var edgeA = await KubeApiSimulator.KubeApiSimulator.StartAsync(
            new SimulatorOptions { NodeCount = 40, Provider = ProviderMode.OpenStack, ClusterName = "edge-a", Seed = 1 }, TestContext.Current.CancellationToken);
        await using var edgeB = await KubeApiSimulator.KubeApiSimulator.StartAsync(
            new SimulatorOptions { NodeCount = 30, Provider = ProviderMode.Aws, ClusterName = "edge-b", Seed = 2 }, TestContext.Current.CancellationToken);
        var configA = await EdgeConfigAsync(temp, "a", edgeA, exchange, topic);
        var configB = await EdgeConfigAsync(temp, "b", edgeB, exchange, topic);
        await using var host = CentralHost.Create(temp, exchange, topic);
        using var stop = new CancellationTokenSource();
        var running = host.RunAsync(stop.Token);

        (await HostProcess.RunAsync("snapshot", "--write-outputs", "--config-file", configA)).ExitCode.ShouldBe(0);
        (await HostProcess.RunAsync("snapshot", "--write-outputs", "--config-file", configB)).ExitCode.ShouldBe(0);
        await CentralHost.WaitUntilAsync(host, g => Nodes(g, "plugin_host.edge-a/kubernetes") == 40 && Nodes(g, "plugin_host.edge-b/kubernetes") == 30);

        host.Versions.Current.LiveVertices.Where(v => v.Type == "kubernetes").Select(v => v.Name).Order().ShouldBe(["edge-a", "edge-b"]);
        host.Versions.Current.LiveVertices.Count(v => v.Type == "nova.instance").ShouldBe(40); // edge-b runs on AWS

        var removed = edgeA.Nodes.Names[3];
        edgeA.Nodes.Delete(removed);
        (await HostProcess.RunAsync("snapshot", "--write-outputs", "--config-file", configA)).ExitCode.ShouldBe(0);
        await CentralHost.WaitUntilAsync(host, g => Nodes(g, "plugin_host.edge-a/kubernetes") == 39);

        host.Versions.Current.Vertices.Values.Single(v => v.Type == "kubernetes.node" && v.Name == removed).IsDeleted.ShouldBeTrue();
        Nodes(host.Versions.Current, "plugin_host.edge-b/kubernetes").ShouldBe(30); // edge-a's snapshot never deletes edge-b's nodes
        await stop.CancelAsync();
        await running;
    }

    // transport_url with an IPv6 broker, rabbit://…@[::1]:port/, end to end.
    [Fact]
    public async Task Central_BrokerAtAnIPv6Address_HoldsTheEdgesNodes()
    {
        await using (await TestBroker.ConnectAsync())
        {
        }

        using var temp = new TempFolder();
        var exchange = $"pluginhost_central_{Guid.NewGuid():N}";
        var topic = $"central_{Guid.NewGuid():N}";
        await using var edge = await KubeApiSimulator.KubeApiSimulator.StartAsync(
            new SimulatorOptions { NodeCount = 5, Provider = ProviderMode.OpenStack, ClusterName = "edge-a", Seed = 1 }, TestContext.Current.CancellationToken);
        var config = await EdgeConfigAsync(temp, "a", edge, exchange, topic);
        await using var host = CentralHost.Create(temp, exchange, topic,
            transportUrl: TestBroker.Url.Replace("@127.0.0.1:", "@[::1]:", StringComparison.Ordinal));
        using var stop = new CancellationTokenSource();
        var running = host.RunAsync(stop.Token);

        (await HostProcess.RunAsync("snapshot", "--write-outputs", "--config-file", config)).ExitCode.ShouldBe(0);
        await CentralHost.WaitUntilAsync(host, g => Nodes(g, "plugin_host.edge-a/kubernetes") == 5);

        await stop.CancelAsync();
        await running;
    }

    private static int Nodes(GraphVersion graph, string datasource) =>
        graph.LiveVertices.Count(v => v.Type == "kubernetes.node" && v.DatasourceName == datasource);

    private static async Task<string> EdgeConfigAsync(TempFolder temp, string name, KubeApiSimulator.KubeApiSimulator cluster, string exchange, string topic)
    {
        var kubeconfig = temp.Combine($"kubeconfig-{name}");
        await cluster.WriteKubeconfigAsync(kubeconfig);
        return temp.File($"edge-{name}.conf", $"""
            [DEFAULT]
            transport_url = {TestBroker.Url}
            control_exchange = {exchange}
            host = edge-{name}
            [datasources]
            types = kubernetes
            [oslo_messaging_notifications]
            driver = messagingv2
            topics = {topic}
            [kubernetes]
            config_file = {kubeconfig}
            """);
    }
}
