using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Notifications.Tests;

/// <summary>
/// RabbitMQ away for good while notifications are on: the graph and the other outputs go on,
/// whole snapshots are dropped (counted, one warning), and stopping stays bounded.
/// </summary>
public sealed class BrokerDownTests
{
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // nothing listens once it is stopped
    }

    private static int Nodes(string graphFile)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(graphFile)).RootElement.GetProperty("nodes").EnumerateArray()
                .Count(n => n.GetProperty("vitrage_type").GetString() == "kubernetes.node");
        }
        catch (IOException)
        {
            return 0; // not written yet
        }
    }

    [Fact]
    public async Task Run_BrokerDownWith1200Nodes_WritesTheGraphDropsWholeSnapshotsAndStopsInTime()
    {
        using var temp = new TempFolder();
        await using var cluster = await KubeApiSimulator.KubeApiSimulator.StartAsync(
            new SimulatorOptions { NodeCount = 1200, Provider = ProviderMode.OpenStack }, TestContext.Current.CancellationToken);
        var kubeconfig = temp.Combine("kubeconfig");
        await cluster.WriteKubeconfigAsync(kubeconfig);
        var graphFile = temp.Combine("graph.json");
        var config = temp.File("vitrage.conf", $"""
            [DEFAULT]
            transport_url = rabbit://guest:guest@127.0.0.1:{ClosedPort()}/
            [api]
            port = 0
            [datasources]
            types = kubernetes
            [oslo_messaging_notifications]
            driver = messagingv2
            [plugin_host]
            graph_file = {graphFile}
            notification_full_wait = 2
            shutdown_timeout = 5
            [kubernetes]
            config_file = {kubeconfig}
            """);
        await using var host = RunningHost.Start("run", "--config-file", config);

        await host.WaitUntilAsync(() => Nodes(graphFile) == 1200, "the whole graph in the graph file while the broker is down", seconds: 60);
        await host.WaitForLogAsync("whole snapshots are dropped, oldest first");
        host.Stderr.Split('\n').Count(l => l.Contains("The notification buffer", StringComparison.Ordinal)).ShouldBe(1);

        host.Signal(RunningHost.SigTerm);
        var took = await host.WaitForExitAsync();

        host.ExitCode.ShouldBe(0, host.Stderr);
        took.ShouldBeLessThan(TimeSpan.FromSeconds(6)); // shutdown_timeout and a margin, whatever the broker does
        host.Stderr.ShouldNotContain("guest:guest");
    }
}
