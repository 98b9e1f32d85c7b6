using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHost.Tests.Notifications;
using PluginHost.Tests.Support;
using RabbitMQ.Client;

namespace PluginHost.Datasources.Notifications.Tests;

/// <summary>The relayed datasource names (<c>&lt;publisher&gt;/&lt;datasource&gt;</c>) a central host takes.</summary>
public sealed class RelayedNamesTests
{
    // Found by a hostile test (s45): every publisher_id made a new datasource name, each with its
    // graph state and Prometheus series kept for the host's life; an edge sending a new publisher_id
    // per message grew the central host's memory and /metrics without bound.
    [Fact]
    public async Task Central_PublishersBeyondMaxDatasourcesOrWithTooLongNames_AreDroppedWithOneWarningEach()
    {
        await using var relay = await RelayedTopic.DeclareAsync();
        using var temp = new TempFolder();

        var log = new CapturingLogger();
        await using var host = CentralHost.Create(temp, relay.Exchange, relay.Topic, notificationsExtra: "max_datasources = 2", logger: log);
        using var stop = new CancellationTokenSource();
        var running = host.RunAsync(stop.Token);
        var longPublisher = "plugin_host." + new string('x', NotificationsDriver.MaxNameLength);

        await relay.PublishAsync("plugin_host.edge-1", "sw-1");
        await relay.PublishAsync(longPublisher, "sw-long"); // refused whatever the count: too long
        await relay.PublishAsync("plugin_host.edge-2", "sw-2");
        await relay.PublishAsync("plugin_host.edge-3", "sw-3"); // a third name: refused
        await relay.PublishAsync("plugin_host.edge-3", "sw-3b"); // refused again, not told again
        await relay.PublishAsync(longPublisher, "sw-long-b");
        await relay.PublishAsync("plugin_host.edge-1", "sw-1b"); // a name taken before still is
        await CentralHost.WaitUntilAsync(host, g => g.LiveVertices.Any(v => v.Id == "sw-1b"));

        host.Versions.Current.LiveVertices.Where(v => v.Type == "switch").Select(v => v.Id).Order().ShouldBe(["sw-1", "sw-1b", "sw-2"]);
        var warnings = log.Warnings.Where(m => m.StartsWith("Dropping the notifications of relayed datasource", StringComparison.Ordinal)).ToList();
        warnings.Count.ShouldBe(2, string.Join('\n', warnings));
        warnings.ShouldContain(m => m.Contains("plugin_host.edge-3/static: 2 relayed datasources are taken already ([notifications] max_datasources)", StringComparison.Ordinal));
        warnings.ShouldContain(m => m.Contains($"({longPublisher.Length + "/static".Length} characters): longer than {NotificationsDriver.MaxNameLength}", StringComparison.Ordinal));
        await stop.CancelAsync();
        await running;
    }

    // A reload that created the driver again (its settings changed) started counting at zero: every
    // SIGHUP let max_datasources more names in, each holding graph state and metric series for the
    // host's life. The names taken before count against the limit after it, here a raised one.
    [Fact]
    public async Task Central_DriverCreatedAgainByAReload_NamesTakenBeforeCountAgainstTheLimit()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var relay = await RelayedTopic.DeclareAsync();
        using var temp = new TempFolder();

        var log = new CapturingLogger();
        var configuration = CentralHost.Configuration(temp, relay.Exchange, relay.Topic, notificationsExtra: "max_datasources = 2");
        await using var host = CentralHost.Create(configuration, log);
        using var stop = new CancellationTokenSource();
        var running = host.RunAsync(stop.Token);
        await relay.PublishAsync("plugin_host.edge-1", "sw-1");
        await relay.PublishAsync("plugin_host.edge-2", "sw-2");
        await CentralHost.WaitUntilAsync(host, g => g.LiveVertices.Count(v => v.Type == "switch") == 2);

        var changes = await host.ReloadAsync(
            CentralHost.Configuration(temp, relay.Exchange, relay.Topic, notificationsExtra: "max_datasources = 3", catalog: configuration.Catalog), ct);
        changes.ShouldContain(c => c.Contains("datasource notifications: settings changed, its driver was created again", StringComparison.Ordinal), string.Join('\n', changes));
        await relay.PublishAsync("plugin_host.edge-3", "sw-3"); // the third name: room for it
        await relay.PublishAsync("plugin_host.edge-4", "sw-4"); // a fourth: refused, as without the reload
        await relay.PublishAsync("plugin_host.edge-5", "sw-5");
        await relay.PublishAsync("plugin_host.edge-1", "sw-1b"); // a name taken before the reload still is
        await CentralHost.WaitUntilAsync(host, g => g.LiveVertices.Any(v => v.Id == "sw-1b"));

        host.Versions.Current.LiveVertices.Where(v => v.Type == "switch").Select(v => v.Id).Order().ShouldBe(["sw-1", "sw-1b", "sw-2", "sw-3"]);
        log.Warnings.ShouldContain(m => m.Contains("plugin_host.edge-4/static: 3 relayed datasources are taken already ([notifications] max_datasources)", StringComparison.Ordinal));
        await stop.CancelAsync();
        await running;
    }

    // A topic queue of each test's own on the test broker, and one switch published on it under a publisher's name.
    private sealed class RelayedTopic(IConnection connection, IChannel channel, string exchange, string topic) : IAsyncDisposable
    {
        public string Exchange => exchange;

        public string Topic => topic;

        private string Queue => $"{topic}.info";

        public static async Task<RelayedTopic> DeclareAsync()
        {
            var connection = await TestBroker.ConnectAsync();
            var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
            var relay = new RelayedTopic(connection, channel, $"pluginhost_names_{Guid.NewGuid():N}", $"names_{Guid.NewGuid():N}");
            await TestBroker.DeclareTopicQueueAsync(channel, relay.Exchange, relay.Queue);
            return relay;
        }

        public Task PublishAsync(string publisher, string id) => channel.BasicPublishAsync(
            exchange, Queue, mandatory: false, TestBroker.JsonMessage(), Entity(publisher, id), TestContext.Current.CancellationToken).AsTask();

        public async ValueTask DisposeAsync()
        {
            await channel.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private static byte[] Entity(string publisher, string id) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["message_id"] = Guid.NewGuid().ToString("D"),
        ["publisher_id"] = publisher,
        ["event_type"] = "static.update",
        ["priority"] = "INFO",
        ["payload"] = new JsonObject
        {
            ["vitrage_entity_type"] = "static",
            ["vitrage_datasource_action"] = "update",
            ["vitrage_sample_date"] = "2026-11-26T08:00:00.000000Z",
            ["vitrage_datasource_name"] = "static",
            ["static_id"] = id,
            ["type"] = "switch",
            ["id"] = id,
            ["category"] = "RESOURCE",
            ["static_file"] = "rack.yaml",
            ["properties"] = new JsonObject { ["name"] = id },
            ["relationships"] = new JsonArray(),
        },
    });
}
