using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHost.Tests.Notifications;
using PluginHost.Tests.Support;
using RabbitMQ.Client;

namespace PluginHost.Datasources.Notifications.Tests;

/// <summary>A relayed snapshot one of whose notifications the central host could not read.</summary>
public sealed class UnreadableMessageTests
{
    // Found by a hostile test: the too-large (or non-JSON) notification of switch-2 was skipped, and
    // the snapshot's end marker then deleted switch-2 centrally, though the edge still reported it.
    [Theory]
    [InlineData("larger than 1 MiB")]
    [InlineData("not JSON")]
    public async Task Central_SnapshotWithAnUnreadableEntity_DeletesNothingUntilASnapshotIsReadWhole(string unreadable)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = await TestBroker.ConnectAsync();
        using var temp = new TempFolder();
        var exchange = $"pluginhost_unreadable_{Guid.NewGuid():N}";
        var topic = $"unreadable_{Guid.NewGuid():N}";
        var queue = $"{topic}.info";
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        await TestBroker.DeclareTopicQueueAsync(channel, exchange, queue);
        var properties = TestBroker.JsonMessage();
        Task PublishAsync(byte[] body) => channel.BasicPublishAsync(exchange, queue, mandatory: false, properties, body, ct).AsTask();

        await using var host = CentralHost.Create(temp, exchange, topic);
        using var stop = new CancellationTokenSource();
        var running = host.RunAsync(stop.Token);
        bool Live(Graph.GraphVersion g, string id) => g.LiveVertices.Any(v => v.Type == "switch" && v.Id == id);

        // 1: both switches, read whole.
        await PublishAsync(Entity("sw-1", 1));
        await PublishAsync(Entity("sw-2", 1));
        await PublishAsync(End(1));
        await CentralHost.WaitUntilAsync(host, g => Live(g, "sw-1") && Live(g, "sw-2"));

        // 2: switch-2's notification cannot be read; switch-3 comes after it, so all were consumed.
        await PublishAsync(Entity("sw-1", 2));
        await PublishAsync(unreadable == "not JSON" ? "{\"oslo.message\": "u8.ToArray() : Entity("sw-2", 2, padding: 1 << 20));
        await PublishAsync(Entity("sw-3", 2));
        await PublishAsync(End(2));
        await CentralHost.WaitUntilAsync(host, g => Live(g, "sw-3"));
        await Task.Delay(500, ct);
        await host.DrainAsync(ct);
        Live(host.Versions.Current, "sw-2").ShouldBeTrue("a snapshot with an unreadable notification deleted switch-2");

        // 3: a snapshot read whole deletes again what it does not report.
        await PublishAsync(Entity("sw-1", 3));
        await PublishAsync(End(3));
        await CentralHost.WaitUntilAsync(host, g => Live(g, "sw-1") && !Live(g, "sw-2") && !Live(g, "sw-3"));
        await stop.CancelAsync();
        await running;
    }

    private static string Time(int snapshot) => $"2026-11-26T08:0{snapshot}:00.000000Z";

    private static byte[] Entity(string id, int snapshot, int padding = 0) => Envelope("static.snapshot", new JsonObject
    {
        ["vitrage_entity_type"] = "static",
        ["vitrage_datasource_action"] = "snapshot",
        ["static_id"] = id,
        ["type"] = "switch",
        ["id"] = id,
        ["category"] = "RESOURCE",
        ["static_file"] = "rack.yaml",
        ["properties"] = new JsonObject { ["name"] = id, ["note"] = new string('x', padding) },
        ["relationships"] = new JsonArray(),
    }, snapshot);

    private static byte[] End(int snapshot) => Envelope("plugin_host.snapshot.end", [], snapshot);

    private static byte[] Envelope(string eventType, JsonObject payload, int snapshot)
    {
        payload["vitrage_sample_date"] = Time(snapshot);
        payload["vitrage_datasource_name"] = "static";
        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["message_id"] = Guid.NewGuid().ToString("D"),
            ["publisher_id"] = "plugin_host.edge-u",
            ["event_type"] = eventType,
            ["priority"] = "INFO",
            ["payload"] = payload,
        });
    }
}
