using System.Globalization;
using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Notifications;

/// <summary>Reads an oslo 2.0 notification from another PluginHost back into a datasource event.</summary>
internal static class RelayedNotification
{
    /// <summary>The relayed event and its message_id, or <c>null</c> for a notification that is not a PluginHost event.</summary>
    public static (DatasourceEvent Event, string MessageId)? Parse(ReadOnlySpan<byte> body) => Parse(body, out _);

    /// <param name="loopedPublisher">Set when the notification was dropped because it came back to a
    /// publisher that had already relayed it (see <see cref="HasRelayed"/>).</param>
    public static (DatasourceEvent Event, string MessageId)? Parse(ReadOnlySpan<byte> body, out string? loopedPublisher)
    {
        loopedPublisher = null;
        using var outer = JsonDocument.Parse(body.ToArray());
        var message = outer.RootElement.TryGetProperty("oslo.message", out var wrapped) && wrapped.ValueKind == JsonValueKind.String
            ? JsonDocument.Parse(wrapped.GetString()!)
            : null;
        using (message)
        {
            var root = message?.RootElement ?? outer.RootElement; // oslo 1.0 sends the message itself
            var messageId = Text(root, "message_id");
            var publisher = Text(root, "publisher_id");
            var eventType = Text(root, "event_type");
            if (messageId is null || publisher is null || eventType is null || !root.TryGetProperty("payload", out var payload)
                || payload.ValueKind != JsonValueKind.Object || Text(payload, VitrageEventKeys.DatasourceName) is not { } datasource
                || Text(payload, VitrageEventKeys.SampleDate) is not { } sampleText
                || !DateTimeOffset.TryParse(sampleText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sampleTime))
            {
                return null;
            }

            if (HasRelayed(publisher, datasource))
            {
                loopedPublisher = publisher;
                return null;
            }

            var relayedName = $"{publisher}/{datasource}";
            if (eventType == "plugin_host.snapshot.end")
            {
                return (DatasourceEvent.EndOfSnapshot(relayedName, sampleTime), messageId);
            }

            if (Text(payload, VitrageEventKeys.EntityType) is not { } entityType)
            {
                return null; // snapshot start and anything else that is not an entity
            }

            var action = Text(payload, VitrageEventKeys.DatasourceAction) switch
            {
                "init_snapshot" => DatasourceAction.InitSnapshot,
                "snapshot" => DatasourceAction.Snapshot,
                _ => DatasourceAction.Update,
            };
            return (new DatasourceEvent(entityType, action, sampleTime, relayedName, payload.Clone()), messageId);
        }
    }

    /// <summary>
    /// Whether <paramref name="publisher"/> is already in the relay chain of <paramref name="datasource"/>
    /// (<c>&lt;publisher&gt;/…/&lt;datasource&gt;</c>): the notification went round a loop. Before: a
    /// central host whose own notifications output publishes to the exchange and topic it consumes
    /// (both default to openstack / notifications) consumed its own events again under
    /// <c>plugin_host.central/static</c>, published those, consumed them as
    /// <c>plugin_host.central/plugin_host.central/static</c>, and so on for ever: a new datasource name
    /// per round, growing without bound, and the broker, the graph and the log flooded. An edge → region
    /// → global chain never names one publisher twice, so it still relays.
    /// </summary>
    internal static bool HasRelayed(string publisher, string datasource)
    {
        var relays = datasource.Split('/');
        return relays.AsSpan(0, relays.Length - 1).Contains(publisher);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
