using System.Globalization;
using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Outputs.Notifications;

/// <summary>
/// oslo.messaging's notification envelope (version 2.0), as its RabbitMQ driver sends it: the
/// outer object carries the inner message as a JSON string.
/// </summary>
internal static class OsloNotificationFormat
{
    public const string Priority = "INFO";

    /// <summary>Python's <c>str(datetime)</c> of a UTC time: microseconds only when there are some.</summary>
    public static string Timestamp(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return utc.ToString(utc.Ticks % TimeSpan.TicksPerSecond / 10 == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
    }

    public static byte[] Body(string publisherId, string eventType, Action<Utf8JsonWriter> writePayload, DateTimeOffset timestamp, Guid messageId, Guid uniqueId)
    {
        using var inner = new MemoryStream();
        using (var writer = new Utf8JsonWriter(inner))
        {
            writer.WriteStartObject();
            writer.WriteString("message_id", messageId.ToString("D"));
            writer.WriteString("publisher_id", publisherId);
            writer.WriteString("event_type", eventType);
            writer.WriteString("priority", Priority);
            writer.WritePropertyName("payload");
            writePayload(writer);
            writer.WriteString("timestamp", Timestamp(timestamp));
            writer.WriteString("_unique_id", uniqueId.ToString("N"));
            writer.WriteEndObject();
        }

        using var outer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(outer))
        {
            writer.WriteStartObject();
            writer.WriteString("oslo.version", "2.0");
            writer.WriteString("oslo.message", System.Text.Encoding.UTF8.GetString(inner.GetBuffer(), 0, (int)inner.Length));
            writer.WriteEndObject();
        }

        return outer.ToArray();
    }

    /// <summary><c>&lt;vitrage_entity_type&gt;.&lt;action&gt;</c>, e.g. <c>kubernetes.node.snapshot</c>.</summary>
    public static string EventType(DatasourceEvent datasourceEvent) =>
        $"{datasourceEvent.EntityType}.{EventJson.ActionName(datasourceEvent.Action)}";
}
