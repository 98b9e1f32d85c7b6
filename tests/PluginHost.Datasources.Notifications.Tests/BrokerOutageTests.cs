using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Configuration;
using PluginHost.KubeApiSimulator;
using PluginHost.Scheduling;
using PluginHost.Tests.Notifications;
using PluginHost.Tests.Support;
using RabbitMQ.Client;

namespace PluginHost.Datasources.Notifications.Tests;

/// <summary>
/// Tests that stop and start the RabbitMQ application (<c>rabbitmqctl stop_app/start_app</c>), so
/// they run alone, after every other test of this assembly.
/// </summary>
[CollectionDefinition(nameof(BrokerOutageCollection), DisableParallelization = true)]
public sealed class BrokerOutageCollection;

[Collection(nameof(BrokerOutageCollection))]
public sealed class BrokerOutageTests
{
    private static Task RabbitCtlAsync(string verb) => TestBroker.CtlAsync(verb);

    private static async Task<string> EdgeConfigAsync(TempFolder temp, KubeApiSimulator.KubeApiSimulator cluster, string exchange, string topic, string extra = "")
    {
        var kubeconfig = temp.Combine("kubeconfig");
        await cluster.WriteKubeconfigAsync(kubeconfig);
        return temp.File("edge.conf", $"""
            [DEFAULT]
            transport_url = {TestBroker.Url}
            control_exchange = {exchange}
            host = edge-outage
            [datasources]
            types = kubernetes
            [oslo_messaging_notifications]
            driver = messagingv2
            topics = {topic}
            [oslo_messaging_rabbit]
            amqp_durable_queues = true
            [api]
            port = 0
            [plugin_host]
            notification_flush_timeout = 90
            [kubernetes]
            config_file = {kubeconfig}
            {extra}
            """);
    }

    [Fact]
    public async Task Run_BrokerAbsentAtStart_PollsLogsEachRetryAndPublishesWhenItAppears()
    {
        await using (await TestBroker.ConnectAsync())
        {
        }

        using var temp = new TempFolder();
        var exchange = $"pluginhost_absent_{Guid.NewGuid():N}";
        var topic = $"absent_{Guid.NewGuid():N}";
        await using var cluster = await KubeApiSimulator.KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 20 }, TestContext.Current.CancellationToken);
        foreach (var name in cluster.Nodes.Names)
        {
            cluster.Nodes.SetReady(name, "True"); // no node alarms: exactly the snapshot's messages
            cluster.Nodes.SetUnschedulable(name, false);
        }

        var config = await EdgeConfigAsync(temp, cluster, exchange, topic);
        await RabbitCtlAsync("stop_app");
        Process edge;
        var stderr = new StringBuilder();
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in new[] { TestRepository.HostDll, "run", "--config-file", config })
            {
                start.ArgumentList.Add(arg);
            }

            edge = Process.Start(start)!;
            edge.ErrorDataReceived += (_, line) => { lock (stderr) { stderr.AppendLine(line.Data); } };
            edge.BeginErrorReadLine();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline && !Text(stderr).Contains("retrying in 2 s", StringComparison.Ordinal))
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            await RabbitCtlAsync("start_app");
        }

        await using var connection = await TestBroker.ConnectAsync();
        var received = 0;
        var until = DateTime.UtcNow.AddSeconds(40);
        while (DateTime.UtcNow < until && received < 23)
        {
            // A fresh channel each time: reading a queue that does not exist yet closes the channel.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
            try
            {
                while (await channel.BasicGetAsync($"{topic}.info", autoAck: true, TestContext.Current.CancellationToken) is not null)
                {
                    received++;
                }
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        edge.Kill();
        await edge.WaitForExitAsync(TestContext.Current.CancellationToken);
        received.ShouldBe(23); // start marker, 20 nodes, cluster, end marker
        var log = Text(stderr);
        log.ShouldContain("kubernetes init_snapshot complete: 21 events"); // polling went on without the broker
        log.ShouldContain($"Cannot publish notifications to RabbitMQ at rabbit://guest:***@127.0.0.1:{TestBroker.Port}/");
        log.ShouldContain("retrying in 1 s");
        log.ShouldContain("retrying in 2 s");
        log.Split('\n').Count(l => l.Contains("retrying in 1 s", StringComparison.Ordinal)).ShouldBe(1); // once per backoff step
        log.ShouldContain($"Connected to RabbitMQ at rabbit://guest:***@127.0.0.1:{TestBroker.Port}/; publishing the");
        using var cleanup = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
        await cleanup.QueueDeleteAsync($"{topic}.info", cancellationToken: TestContext.Current.CancellationToken);
        await cleanup.ExchangeDeleteAsync(exchange, cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Central_BrokerRestartedMidSnapshotOf5000Nodes_LosesNothingAndEqualsTheEdge()
    {
        await using var connection = await TestBroker.ConnectAsync();
        using var temp = new TempFolder();
        var exchange = $"pluginhost_restart_{Guid.NewGuid():N}";
        var topic = $"restart_{Guid.NewGuid():N}";
        await using var cluster = await KubeApiSimulator.KubeApiSimulator.StartAsync(
            new SimulatorOptions { NodeCount = 5000, Provider = ProviderMode.OpenStack, ClusterName = "big" }, TestContext.Current.CancellationToken);
        var edgeConfig = await EdgeConfigAsync(temp, cluster, exchange, topic);

        // A second, durable queue on the same routing key counts every message_id that reached the broker.
        var counting = $"{topic}.count";
        await using (var setup = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            await setup.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: TestContext.Current.CancellationToken);
            await setup.QueueDeclareAsync(counting, durable: true, exclusive: false, autoDelete: false, cancellationToken: TestContext.Current.CancellationToken);
            await setup.QueueBindAsync(counting, exchange, $"{topic}.info", cancellationToken: TestContext.Current.CancellationToken);
        }

        await using var host = CentralHost.Create(temp, exchange, topic,
            notificationsExtra: "amqp_durable_queues = true", hostExtra: "retry_initial_delay = 1\nretry_max_delay = 2");
        using var stop = new CancellationTokenSource();
        var running = host.RunAsync(stop.Token);

        var edge = HostProcess.RunAsync("snapshot", "--write-outputs", "--config-file", edgeConfig, "--format", "json");
        var restarted = false;
        var watchUntil = DateTime.UtcNow.AddSeconds(60);
        while (!restarted && DateTime.UtcNow < watchUntil && !edge.IsCompleted)
        {
            await using var probe = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
            if ((await probe.QueueDeclarePassiveAsync(counting, TestContext.Current.CancellationToken)).MessageCount > 300)
            {
                await RabbitCtlAsync("stop_app");
                await Task.Delay(2000, TestContext.Current.CancellationToken);
                await RabbitCtlAsync("start_app");
                restarted = true;
            }
            else
            {
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }
        }

        restarted.ShouldBeTrue("the broker was restarted while the edge was publishing");
        var result = await edge;
        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stderr.ShouldContain("Cannot publish notifications to RabbitMQ");

        await CentralHost.WaitUntilAsync(host, g => g.LiveVertices.Count(v => v.Type == "kubernetes.node") >= 5000, seconds: 90);

        host.Graph.LiveVertices.Where(v => v.Type == "kubernetes.node").Select(v => v.Name!).Order(StringComparer.Ordinal)
            .ShouldBe(cluster.Nodes.Names.Order(StringComparer.Ordinal));
        host.Graph.LiveVertices.Single(v => v.Type == "kubernetes").Properties["node_count"].ShouldBe(5000L);

        await using var reader = await TestBroker.ConnectAsync();
        await using var count = await reader.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
        var ids = new List<string>();
        var alarmIds = new List<string>();
        while (await count.BasicGetAsync(counting, autoAck: true, TestContext.Current.CancellationToken) is { } message)
        {
            var outer = JsonDocument.Parse(message.Body.ToArray()).RootElement;
            var inner = JsonDocument.Parse(outer.GetProperty("oslo.message").GetString()!).RootElement;
            (inner.GetProperty("event_type").GetString() == "vitrage.alarm.activate" ? alarmIds : ids).Add(inner.GetProperty("message_id").GetString()!);
        }

        ids.Distinct().Count().ShouldBe(5003); // start marker, 5,000 nodes, cluster, end marker: none lost
        ids.Count.ShouldBeGreaterThanOrEqualTo(5003); // resent after the restart: duplicates, harmless
        alarmIds.Distinct().Count().ShouldBe(host.Graph.LiveVertices.Count(v => v.Category == PluginHost.Contracts.EntityCategories.Alarm)); // the alarms of the NotReady and cordoned nodes, none lost
        await count.QueueDeleteAsync(counting, cancellationToken: TestContext.Current.CancellationToken);
        await count.QueueDeleteAsync($"{topic}.info", cancellationToken: TestContext.Current.CancellationToken);
        await count.ExchangeDeleteAsync(exchange, cancellationToken: TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        await running;
    }

    private static string Text(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }
}
