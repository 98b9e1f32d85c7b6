using System.Text;
using System.Text.Json;
using PluginHost.Tests.Support;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace PluginHost.Tests.Notifications;

/// <summary>The built host publishing to a real RabbitMQ, read back with a raw AMQP consumer.</summary>
public sealed class RabbitNotificationTests(EchoPluginFolder plugins) : IClassFixture<EchoPluginFolder>
{
    private string Config(TempFolder temp, string exchange, string topic, string url, string extra = "")
    {
        var entities = temp.File("entities", "a\nb Down\n");
        return temp.File("vitrage.conf", $"""
            [DEFAULT]
            transport_url = {url}
            control_exchange = {exchange}
            host = edge-test
            [datasources]
            types = echo
            plugin_path = {plugins.Plugins}
            [oslo_messaging_notifications]
            driver = messagingv2
            topics = {topic}
            [plugin_host]
            notification_flush_timeout = 5
            [echo]
            entities_file = {entities}
            {extra}
            """);
    }

    private static string Unique(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    private static async Task<List<BasicGetResult>> DrainAsync(IChannel channel, string queue)
    {
        var messages = new List<BasicGetResult>();
        while (await channel.BasicGetAsync(queue, autoAck: true, TestContext.Current.CancellationToken) is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    [Fact]
    public async Task Snapshot_Messagingv2_PublishesOsloNotificationsExactlyAsOsloMessagingDoes()
    {
        await using var connection = await TestBroker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var temp = new TempFolder();
        var exchange = Unique("pluginhost_test");
        var topic = Unique("notifications");
        var config = Config(temp, exchange, topic, TestBroker.Url);

        var result = await HostProcess.RunAsync("snapshot", "--write-outputs", "--config-file", config);

        result.ExitCode.ShouldBe(0, result.Stderr);
        var messages = await DrainAsync(channel, $"{topic}.info");
        await channel.ExchangeDeleteAsync(exchange, cancellationToken: TestContext.Current.CancellationToken);
        await channel.QueueDeleteAsync($"{topic}.info", cancellationToken: TestContext.Current.CancellationToken);

        messages.Count.ShouldBe(4);
        foreach (var message in messages)
        {
            message.Exchange.ShouldBe(exchange);
            message.RoutingKey.ShouldBe($"{topic}.info");
            message.BasicProperties.ContentType.ShouldBe("application/json");
            message.BasicProperties.ContentEncoding.ShouldBe("utf-8");
            message.BasicProperties.DeliveryMode.ShouldBe(DeliveryModes.Persistent);
        }

        var inner = messages.Select(m =>
        {
            var outer = JsonDocument.Parse(Encoding.UTF8.GetString(m.Body.Span)).RootElement;
            outer.GetProperty("oslo.version").GetString().ShouldBe("2.0");
            return JsonDocument.Parse(outer.GetProperty("oslo.message").GetString()!).RootElement;
        }).ToList();
        inner.Select(m => m.GetProperty("event_type").GetString()).ShouldBe(
            ["plugin_host.snapshot.start", "echo.thing.init_snapshot", "echo.thing.init_snapshot", "plugin_host.snapshot.end"]);
        inner.ShouldAllBe(m => m.GetProperty("publisher_id").GetString() == "plugin_host.edge-test" && m.GetProperty("priority").GetString() == "INFO");
        inner.Select(m => m.GetProperty("message_id").GetString()).ShouldBeUnique();
        var payload = inner[2].GetProperty("payload");
        payload.GetProperty("id").GetString().ShouldBe("b");
        payload.GetProperty("state").GetString().ShouldBe("Down");
        payload.GetProperty("vitrage_entity_type").GetString().ShouldBe("echo.thing");
        payload.GetProperty("vitrage_datasource_action").GetString().ShouldBe("init_snapshot");
        payload.GetProperty("vitrage_datasource_name").GetString().ShouldBe("echo");
        inner[3].GetProperty("payload").GetProperty("vitrage_datasource_name").GetString().ShouldBe("echo");
        inner[3].GetProperty("payload").GetProperty("vitrage_sample_date").GetString()
            .ShouldBe(inner[0].GetProperty("payload").GetProperty("vitrage_sample_date").GetString());
    }

    // transport_url = rabbit://…@[::1]:port/, end to end (the parser's cases are TransportUrlTests').
    [Fact]
    public async Task Snapshot_BrokerAtAnIPv6Address_Publishes()
    {
        await using var connection = await TestBroker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var temp = new TempFolder();
        var exchange = Unique("pluginhost_test");
        var topic = Unique("notifications");
        var config = Config(temp, exchange, topic, TestBroker.Url.Replace("@127.0.0.1:", "@[::1]:", StringComparison.Ordinal));

        var result = await HostProcess.RunAsync("snapshot", "--write-outputs", "--config-file", config);

        result.ExitCode.ShouldBe(0, result.Stderr);
        var messages = await DrainAsync(channel, $"{topic}.info");
        await channel.ExchangeDeleteAsync(exchange, cancellationToken: TestContext.Current.CancellationToken);
        await channel.QueueDeleteAsync($"{topic}.info", cancellationToken: TestContext.Current.CancellationToken);
        messages.Count.ShouldBe(4, result.Stderr);
    }

    [Theory]
    [InlineData("not durable (oslo's default)", false)]
    [InlineData("durable", true)]
    public async Task Snapshot_DurableOption_DeclaresTheExchangeAndQueueWithThoseFlags(string name, bool durable)
    {
        await using var connection = await TestBroker.ConnectAsync();
        using var temp = new TempFolder();
        var exchange = Unique("pluginhost_flags");
        var topic = Unique("flags");
        var config = Config(temp, exchange, topic, TestBroker.Url, $"[oslo_messaging_rabbit]\namqp_durable_queues = {(durable ? "true" : "false")}\n");

        (await HostProcess.RunAsync("snapshot", "--write-outputs", "--config-file", config)).ExitCode.ShouldBe(0, name);

        // Declaring with the other flag must be refused (406), as it would be for a Python listener.
        await using (var mismatch = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            var error = await Should.ThrowAsync<OperationInterruptedException>(() =>
                mismatch.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: !durable, autoDelete: false, cancellationToken: TestContext.Current.CancellationToken));
            error.ShutdownReason!.ReplyCode.ShouldBe((ushort)406, name);
        }

        await using var cleanup = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
        await cleanup.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: durable, autoDelete: false, cancellationToken: TestContext.Current.CancellationToken);
        await cleanup.QueueDeleteAsync($"{topic}.info", cancellationToken: TestContext.Current.CancellationToken);
        await cleanup.ExchangeDeleteAsync(exchange, cancellationToken: TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("wrong password", "rabbit://guest:Sup3rS3cret@127.0.0.1:PORT/", "rabbit://guest:***@127.0.0.1:PORT/", "ACCESS_REFUSED", "Sup3rS3cret")]
    [InlineData("unknown vhost", "rabbit://guest:guest@127.0.0.1:PORT/no-such-vhost", "rabbit://guest:***@127.0.0.1:PORT/no-such-vhost", "no-such-vhost", "guest:guest")]
    public async Task Snapshot_BadCredentialsOrVhost_LogsAClearErrorWithoutThePassword(string name, string url, string shown, string reason, string secret)
    {
        await using var connection = await TestBroker.ConnectAsync();
        var port = TestBroker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        (url, shown) = (url.Replace("PORT", port, StringComparison.Ordinal), shown.Replace("PORT", port, StringComparison.Ordinal));
        using var temp = new TempFolder();
        var config = Config(temp, Unique("pluginhost_auth"), Unique("auth"), url);

        var result = await HostProcess.RunAsync("snapshot", "--write-outputs", "--config-file", config);

        result.Stderr.ShouldContain($"Cannot publish notifications to RabbitMQ at {shown}: ", Case.Sensitive, name);
        result.Stderr.ShouldContain(reason, Case.Sensitive, name);
        result.Stderr.ShouldContain("notifications were not confirmed by RabbitMQ", Case.Sensitive, name);
        result.Stderr.ShouldNotContain(secret, Case.Sensitive, name);
        result.Stdout.ShouldNotContain(secret, Case.Sensitive, name);
    }

    [Fact]
    public async Task CheckConfig_Messagingv2WithoutTransportUrl_ExitsTwoSayingWhatIsMissing()
    {
        using var temp = new TempFolder();
        var config = temp.File("vitrage.conf", $"[datasources]\nplugin_path = {plugins.Plugins}\n[oslo_messaging_notifications]\ndriver = messagingv2\n");

        var result = await HostProcess.RunAsync("check-config", "--config-file", config);

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain($"error: {config}:4: [oslo_messaging_notifications] driver = messagingv2 needs [DEFAULT] transport_url");
    }
}
