using System.Text;
using System.Text.Json;
using PluginHost.Tests.Notifications;
using PluginHost.Tests.Support;
using RabbitMQ.Client;

namespace PluginHost.Datasources.Notifications.Tests;

/// <summary>What the central host keeps of the messages it consumed.</summary>
public sealed class MessageIdMemoryTests
{
    // Found by a hostile test: the last 200,000 message_ids were kept verbatim, so ids of 400 KB (the
    // sender's text; oslo's are 36-character uuids) held 800 KB each: 160 GB at the bound.
    [Fact]
    public async Task Central_HugeMessageIds_RemembersThemInBoundedMemory()
    {
        const int Messages = 200;
        const int IdLength = 400_000;
        var ct = TestContext.Current.CancellationToken;
        await using var connection = await TestBroker.ConnectAsync();
        using var temp = new TempFolder();
        var exchange = $"pluginhost_ids_{Guid.NewGuid():N}";
        var topic = $"ids_{Guid.NewGuid():N}";
        await using var host = CentralHost.Create(temp, exchange, topic);
        using var stop = new CancellationTokenSource();
        var running = host.RunAsync(stop.Token);
        await CentralHost.WaitUntilAsync(host, _ => host.Runners.Single().Status.Current.CompletedSnapshots > 0, seconds: 20);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        await using (var channel = await connection.CreateChannelAsync(cancellationToken: ct))
        {
            await TestBroker.DeclareTopicQueueAsync(channel, exchange, $"{topic}.info");
            var properties = TestBroker.JsonMessage();
            var padding = new string('x', IdLength);
            for (var i = 0; i <= Messages; i++)
            {
                // An entity type nothing transforms, so only the driver keeps anything of these; the
                // last one, a static switch, tells that all were consumed.
                var payload = i < Messages
                    ? (object)new { vitrage_entity_type = "no.such.type" }
                    : new { vitrage_entity_type = "static", static_id = "s1", type = "switch", id = "sentinel", category = "RESOURCE", static_file = "f.yaml", properties = new { }, relationships = Array.Empty<object>() };
                var message = JsonSerializer.SerializeToNode(payload)!.AsObject();
                message["vitrage_datasource_action"] = "update";
                message["vitrage_sample_date"] = "2026-11-26T08:00:00.000000Z";
                message["vitrage_datasource_name"] = "ds";
                var body = JsonSerializer.SerializeToUtf8Bytes(new
                {
                    message_id = $"{padding}{i}",
                    publisher_id = "plugin_host.big-ids",
                    event_type = "static.update",
                    priority = "INFO",
                    payload = message,
                });
                await channel.BasicPublishAsync(exchange, $"{topic}.info", mandatory: false, properties, body, ct);
            }
        }

        await CentralHost.WaitUntilAsync(host, g => g.LiveVertices.Any(v => v.Id == "sentinel"), seconds: 90);
        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        await stop.CancelAsync();
        await running;
        // Remembered verbatim: 160 MB (UTF-16); as hashes, nothing to speak of. What is left is the
        // client's and the host's pooled buffers (~40 MB, whatever the number of messages).
        grown.ShouldBeLessThan(64L << 20, $"{grown >> 20} MiB held after {Messages} ids of {IdLength:N0} characters");
    }
}
