using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHost.Tests.Notifications;
using PluginHost.Tests.Support;
using RabbitMQ.Client;

namespace PluginHost.Datasources.Notifications.Tests;

/// <summary>What the central host makes of a relayed snapshot: what it deletes at its end, and what it says it changed.</summary>
public sealed class RelayedSnapshotTests
{
    private const string Publisher = "plugin_host.edge-t";
    private const string Relayed = Publisher + "/static";

    // Found by a hostile test (s45): the central host's static transformer failed on switch-2's
    // reading (an edge's newer plugin sends what the central one does not expect), the event was
    // skipped, and the snapshot's end then deleted switch-2 although the edge still reported it; a
    // relayed event names no entity id, so a582c60's "keep the vertex the event names" never applied.
    [Fact]
    public async Task Central_RelayedSnapshotWithAnEventItsTransformerFailsOn_DeletesNothingUntilASnapshotIsTransformedWhole()
    {
        await using var edge = await Edge.StartAsync();
        var log = new CapturingLogger();
        await using var host = CentralHost.Create(edge.Temp, edge.Exchange, edge.Topic, logger: log);
        using var stop = new CancellationTokenSource();
        var running = host.RunAsync(stop.Token);

        // 1: both switches.
        await edge.SnapshotAsync(1, Entity("sw-1", 1), Entity("sw-2", 1));
        await WaitForSummariesAsync(host, log, 1);

        // 2: switch-2's reading is one the transformer throws on; switch-3 is new.
        await edge.SnapshotAsync(2, Entity("sw-1", 2), Entity("sw-2", 2, relationships: "none"), Entity("sw-3", 2));
        await WaitForSummariesAsync(host, log, 2);
        Live(host, "sw-2").ShouldBeTrue("a relayed snapshot with an event its transformer failed on deleted switch-2");
        Live(host, "sw-3").ShouldBeTrue();
        log.Warnings.ShouldContain(m => m.Contains($"The snapshot of {Relayed} had an event a transformer failed on", StringComparison.Ordinal)
            && m.Contains("it deletes nothing", StringComparison.Ordinal));

        // 3: a snapshot transformed whole deletes again what it does not report.
        await edge.SnapshotAsync(3, Entity("sw-1", 3));
        await WaitForSummariesAsync(host, log, 3);
        Live(host, "sw-1").ShouldBeTrue();
        Live(host, "sw-2").ShouldBeFalse();
        Live(host, "sw-3").ShouldBeFalse();
        await stop.CancelAsync();
        await running;
    }

    // Found by a hostile test (s45): a relayed snapshot's changes were told as watched changes, and its
    // end said "no change" after adding vertices: its start is not relayed as an event, so the central
    // host never counted anything into it.
    [Fact]
    public async Task Central_RelayedSnapshotsThatAddAndDelete_SummaryLinesSaySo()
    {
        await using var edge = await Edge.StartAsync();
        var log = new CapturingLogger();
        await using var host = CentralHost.Create(edge.Temp, edge.Exchange, edge.Topic, logger: log);
        using var stop = new CancellationTokenSource();
        var running = host.RunAsync(stop.Token);

        await edge.SnapshotAsync(1, Entity("sw-1", 1), Entity("sw-2", 1));
        await WaitForSummariesAsync(host, log, 1);
        await edge.SnapshotAsync(2, Entity("sw-1", 2));
        await WaitForSummariesAsync(host, log, 2);
        await edge.SnapshotAsync(3, Entity("sw-1", 3));
        await WaitForSummariesAsync(host, log, 3);

        Summaries(log).ShouldBe(
        [
            $"{Relayed} snapshot applied: 2 added (switch sw-1, sw-2)",
            $"{Relayed} snapshot applied: 1 deleted (switch sw-2)",
            $"{Relayed} snapshot applied: no change",
        ]);
        await stop.CancelAsync();
        await running;
    }

    private static bool Live(Scheduling.DatasourceScheduler host, string id) =>
        host.Versions.Current.LiveVertices.Any(v => v.Type == "switch" && v.Id == id);

    private static List<string> Summaries(CapturingLogger log) =>
        [.. log.Entries.Select(e => e.Message).Where(m => m.StartsWith($"{Relayed} snapshot applied", StringComparison.Ordinal))];

    private static Task WaitForSummariesAsync(Scheduling.DatasourceScheduler host, CapturingLogger log, int count) =>
        CentralHost.WaitUntilAsync(host, _ => Summaries(log).Count >= count);

    private static string Time(int snapshot) => $"2026-11-26T08:0{snapshot}:00.000000Z";

    private static byte[] Entity(string id, int snapshot, string? relationships = null) => Envelope("static.snapshot", new JsonObject
    {
        ["vitrage_entity_type"] = "static",
        ["vitrage_datasource_action"] = "snapshot",
        ["static_id"] = id,
        ["type"] = "switch",
        ["id"] = id,
        ["category"] = "RESOURCE",
        ["static_file"] = "rack.yaml",
        ["properties"] = new JsonObject { ["name"] = id },
        // Not an array: the static transformer throws on it.
        ["relationships"] = relationships is null ? new JsonArray() : JsonValue.Create(relationships),
    }, snapshot);

    private static byte[] Envelope(string eventType, JsonObject payload, int snapshot)
    {
        payload["vitrage_sample_date"] = Time(snapshot);
        payload["vitrage_datasource_name"] = "static";
        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["message_id"] = Guid.NewGuid().ToString("D"),
            ["publisher_id"] = Publisher,
            ["event_type"] = eventType,
            ["priority"] = "INFO",
            ["payload"] = payload,
        });
    }

    /// <summary>An edge host as the central one sees it: its notifications, published on a real broker.</summary>
    private sealed class Edge : IAsyncDisposable
    {
        private readonly IConnection _connection;
        private readonly IChannel _channel;

        private Edge(IConnection connection, IChannel channel)
        {
            _connection = connection;
            _channel = channel;
        }

        public TempFolder Temp { get; } = new();

        public string Exchange { get; } = $"pluginhost_relayed_{Guid.NewGuid():N}";

        public string Topic { get; } = $"relayed_{Guid.NewGuid():N}";

        public static async Task<Edge> StartAsync()
        {
            var ct = TestContext.Current.CancellationToken;
            var connection = await TestBroker.ConnectAsync();
            var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            var edge = new Edge(connection, channel);
            await TestBroker.DeclareTopicQueueAsync(channel, edge.Exchange, $"{edge.Topic}.info");
            return edge;
        }

        /// <summary>The start marker, the entities and the end marker, as an edge's notifications output sends them.</summary>
        public async Task SnapshotAsync(int snapshot, params byte[][] entities)
        {
            await PublishAsync(Envelope("plugin_host.snapshot.start", [], snapshot));
            foreach (var entity in entities)
            {
                await PublishAsync(entity);
            }

            await PublishAsync(Envelope("plugin_host.snapshot.end", [], snapshot));
        }

        private Task PublishAsync(byte[] body) => _channel.BasicPublishAsync(Exchange, $"{Topic}.info", mandatory: false,
            TestBroker.JsonMessage(), body, TestContext.Current.CancellationToken).AsTask();

        public async ValueTask DisposeAsync()
        {
            await _channel.QueueDeleteAsync($"{Topic}.info", cancellationToken: CancellationToken.None);
            await _channel.ExchangeDeleteAsync(Exchange, cancellationToken: CancellationToken.None);
            await _channel.DisposeAsync();
            await _connection.DisposeAsync();
            Temp.Dispose();
        }
    }
}
