using System.Globalization;
using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Notifications;

/// <summary>Reads an oslo 2.0 notification from another PluginHost back into a datasource event.</summary>
internal static class RelayedNotification
{
    /// <summary>The relayed event and its message_id, or <c>null</c> for a notification that is not a PluginHost event.</summary>
    public static (DatasourceEvent Event, string MessageId)? Parse(ReadOnlySpan<byte> body)
    {
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

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
