using System.Text;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Notifications.Tests;

public sealed class RelayedNotificationTests
{
    // Shaped like Python's oslo.messaging 2.0 envelope (json.dumps separators, the inner message a
    // string, _unique_id added by the rabbit driver), written by hand: no Python here to produce it.
    private const string OsloBody = """{"oslo.version": "2.0", "oslo.message": "{\"message_id\": \"8d6f7c5e-0f1a-4b6e-9a57-6f1c2b3d4e5f\", \"publisher_id\": \"plugin_host.edge-a\", \"event_type\": \"kubernetes.node.snapshot\", \"priority\": \"INFO\", \"payload\": {\"cluster_name\": \"edge-a\", \"node\": {\"metadata\": {\"name\": \"n1\", \"uid\": \"u1\"}}, \"vitrage_entity_type\": \"kubernetes.node\", \"vitrage_datasource_action\": \"snapshot\", \"vitrage_sample_date\": \"2026-11-26T08:00:00.000000Z\", \"vitrage_datasource_name\": \"kubernetes\"}, \"timestamp\": \"2026-11-26 08:00:00.123456\", \"_unique_id\": \"0f6e4d2c1b0a49e8a7c6b5d4e3f2a1b0\"}"}""";

    [Fact]
    public void Parse_OsloEnvelope_GivesTheRelayedEventUnderAPerPublisherDatasource()
    {
        var (relayed, messageId) = RelayedNotification.Parse(Encoding.UTF8.GetBytes(OsloBody))!.Value;

        messageId.ShouldBe("8d6f7c5e-0f1a-4b6e-9a57-6f1c2b3d4e5f");
        relayed.EntityType.ShouldBe("kubernetes.node");
        relayed.Action.ShouldBe(DatasourceAction.Snapshot);
        relayed.DatasourceName.ShouldBe("plugin_host.edge-a/kubernetes");
        relayed.SampleTime.ShouldBe(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        relayed.Properties.GetProperty("node").GetProperty("metadata").GetProperty("uid").GetString().ShouldBe("u1");
    }

    [Fact]
    public void Parse_SnapshotEndMarker_BecomesAnEndOfSnapshotMarker()
    {
        var body = OsloBody.Replace("kubernetes.node.snapshot", "plugin_host.snapshot.end", StringComparison.Ordinal);

        var (relayed, _) = RelayedNotification.Parse(Encoding.UTF8.GetBytes(body))!.Value;

        relayed.IsEndOfSnapshot.ShouldBeTrue();
        relayed.SampleTime.ShouldBe(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        relayed.DatasourceName.ShouldBe("plugin_host.edge-a/kubernetes");
    }

    [Theory]
    [InlineData("snapshot start marker", "plugin_host.snapshot.start", "\\\"vitrage_entity_type\\\": \\\"kubernetes.node\\\", ")]
    [InlineData("not a PluginHost event", "compute.instance.create.end", ", \\\"vitrage_datasource_name\\\": \\\"kubernetes\\\"")]
    public void Parse_OtherNotification_IsIgnored(string name, string eventType, string removed)
    {
        var body = OsloBody.Replace("kubernetes.node.snapshot", eventType, StringComparison.Ordinal).Replace(removed, string.Empty, StringComparison.Ordinal);

        RelayedNotification.Parse(Encoding.UTF8.GetBytes(body)).ShouldBeNull(name);
    }
}
