using System.Text.Json;
using PluginHost.Graph;
using PluginHost.History;

namespace PluginHost.Api.Views;

/// <summary>
/// A history row as Vitrage's API shows it: the alarm as it was when it started, with its
/// <c>start_timestamp</c> and, once it ended, its <c>end_timestamp</c>, <c>state</c> Inactive and
/// <c>vitrage_operational_severity</c> OK (what Vitrage's alarm API does to ended alarms).
/// </summary>
internal static class AlarmHistoryJson
{
    private const string InactiveState = "Inactive";
    private const string EndTimestamp = "end_timestamp";

    public static void Write(Utf8JsonWriter writer, HistoryAlarm alarm)
    {
        using var payload = JsonDocument.Parse(alarm.Payload);
        var ended = alarm.End is not null;
        writer.WriteStartObject();
        foreach (var property in payload.RootElement.EnumerateObject())
        {
            var replaced = property.Name is ComputedProperties.StartTimestamp or EndTimestamp
                || (ended && property.Name is ComputedProperties.OperationalSeverity or VertexProperties.State);
            if (!replaced)
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteString(ComputedProperties.StartTimestamp, alarm.Start);
        if (alarm.End is { } end)
        {
            writer.WriteString(EndTimestamp, end);
            writer.WriteString(ComputedProperties.OperationalSeverity, "OK");
            writer.WriteString(VertexProperties.State, InactiveState);
        }

        writer.WriteEndObject();
    }
}
