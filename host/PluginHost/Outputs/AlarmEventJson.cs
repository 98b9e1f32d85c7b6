using System.Text.Json;
using PluginHost.Graph;

namespace PluginHost.Outputs;

/// <summary>
/// An alarm that became active or ended, as Vitrage's graph notifier tells it: event type
/// <c>vitrage.alarm.activate</c> or <c>vitrage.alarm.deactivate</c>, and as payload the alarm
/// vertex's properties (an ended one with <c>vitrage_is_deleted</c> true) with the resource it is
/// on under <c>resource</c>. The notifications and the event log write this one shape.
/// </summary>
internal static class AlarmEventJson
{
    public const string Activate = "vitrage.alarm.activate";
    public const string Deactivate = "vitrage.alarm.deactivate";

    public static string EventType(GraphChange change) => change.Kind == GraphChangeKind.Added ? Activate : Deactivate;

    public static void WritePayload(Utf8JsonWriter writer, GraphChange change)
    {
        writer.WriteStartObject();
        VertexJson.WriteProperties(writer, change.Alarm!);
        if (change.Resource is { } resource)
        {
            writer.WritePropertyName("resource");
            VertexJson.Write(writer, resource);
        }

        writer.WriteEndObject();
    }
}
