using System.Text;
using System.Text.Json;
using PluginHost.Tests.Api;
using PluginHost.Tests.Support;
using RabbitMQ.Client;

namespace PluginHost.Tests.Notifications;

/// <summary>
/// A node alarm that starts and ends, told by the built host (<c>run</c>, the real Kubernetes plugin
/// on the simulator) as Vitrage's own notifications on a real RabbitMQ and as event log lines,
/// whether snapshots or the watch (<c>update_method = push</c>) bring the change.
/// </summary>
public sealed class AlarmNotificationTests
{
    [Theory]
    [InlineData("snapshots every 10 s", "snapshots_interval = 10")]
    [InlineData("push: from the watch, the resync an hour away", "update_method = push\nsnapshots_interval = 3600")]
    public async Task Run_NodeNotReadyThenReady_ActivateThenDeactivateNotificationsAndEventLogLines(string name, string updates)
    {
        await using var connection = await TestBroker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
        var exchange = $"pluginhost_alarms_{Guid.NewGuid():N}";
        var topic = $"alarms_{Guid.NewGuid():N}";
        await using var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 3, api: "enabled = false", sections: $"""
            {updates}
            [DEFAULT]
            transport_url = {TestBroker.Url}
            control_exchange = {exchange}
            [oslo_messaging_notifications]
            driver = messagingv2
            topics = {topic}
            """);
        var node = cluster.Simulator.Nodes.Names[0];
        cluster.Simulator.Nodes.SetReady(node, "False");
        var eventLog = cluster.Folder.Combine("events.jsonl");
        var config = cluster.Folder.File("log.conf", $"[plugin_host]\nevent_log = {eventLog}\n");
        await using (var host = RunningHost.Start("run", "--config-file", cluster.ConfigFile, "--config-file", config))
        {
            await host.WaitUntilAsync(() => Lines(eventLog).Any(l => l.Contains(AlarmEvents.Activate, StringComparison.Ordinal)), "the alarm to start");
            cluster.Simulator.Nodes.SetReady(node, "True");
            await host.WaitUntilAsync(() => Lines(eventLog).Any(l => l.Contains(AlarmEvents.Deactivate, StringComparison.Ordinal)), "the alarm to end");
            host.Signal(RunningHost.SigTerm);
            await host.WaitForExitAsync();
        }

        var messages = new List<JsonElement>();
        while (await channel.BasicGetAsync($"{topic}.info", autoAck: true, TestContext.Current.CancellationToken) is { } message)
        {
            var outer = JsonDocument.Parse(Encoding.UTF8.GetString(message.Body.Span)).RootElement;
            messages.Add(JsonDocument.Parse(outer.GetProperty("oslo.message").GetString()!).RootElement);
        }

        await channel.QueueDeleteAsync($"{topic}.info", cancellationToken: TestContext.Current.CancellationToken);
        await channel.ExchangeDeleteAsync(exchange, cancellationToken: TestContext.Current.CancellationToken);

        var alarms = messages.Where(m => m.GetProperty("event_type").GetString()!.StartsWith("vitrage.alarm.", StringComparison.Ordinal)).ToList();
        alarms.Select(m => m.GetProperty("event_type").GetString()).ShouldBe([AlarmEvents.Activate, AlarmEvents.Deactivate], name);
        var activated = alarms[0].GetProperty("payload");
        var deactivated = alarms[1].GetProperty("payload");
        Text(activated, "name").ShouldBe("NodeNotReady");
        Text(activated, "vitrage_category").ShouldBe("ALARM");
        Text(activated, "vitrage_type").ShouldBe("kubernetes.node.condition");
        Text(activated, "vitrage_operational_severity").ShouldBe("CRITICAL");
        Text(activated, "vitrage_aggregated_severity").ShouldBe("CRITICAL");
        Text(activated, "vitrage_resource_type").ShouldBe("kubernetes.node");
        Text(activated, "state").ShouldBe("Active");
        activated.GetProperty("vitrage_is_deleted").GetBoolean().ShouldBeFalse();
        Text(activated.GetProperty("resource"), "name").ShouldBe(node);
        Text(activated.GetProperty("resource"), "vitrage_id").ShouldBe(Text(activated, "vitrage_resource_id"));
        Text(deactivated, "vitrage_id").ShouldBe(Text(activated, "vitrage_id"));
        deactivated.GetProperty("vitrage_is_deleted").GetBoolean().ShouldBeTrue();
        var logged = Lines(eventLog).Select(l => JsonDocument.Parse(l).RootElement).Where(l => l.TryGetProperty("event_type", out _)).ToList();
        logged.Select(l => Text(l, "event_type")).ShouldBe([AlarmEvents.Activate, AlarmEvents.Deactivate]);
        Text(logged[0].GetProperty("payload"), "vitrage_id").ShouldBe(Text(activated, "vitrage_id"));
    }

    private static List<string> Lines(string file) =>
        File.Exists(file) ? File.ReadAllLines(file).Where(l => l.Length > 0 && l.EndsWith('}')).ToList() : [];

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static class AlarmEvents
    {
        public const string Activate = "vitrage.alarm.activate";
        public const string Deactivate = "vitrage.alarm.deactivate";
    }
}
