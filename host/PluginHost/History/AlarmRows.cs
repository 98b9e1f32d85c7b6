using System.Globalization;
using System.Text.Json;
using PluginHost.Api.Query;
using PluginHost.Graph;
using PluginHost.Outputs;

namespace PluginHost.History;

/// <summary>An alarm vertex as a history row: Vitrage's columns, and the whole alarm as its payload.</summary>
internal static class AlarmRows
{
    public static AlarmRow From(VertexView alarm)
    {
        using var payload = new MemoryStream();
        using (var writer = new Utf8JsonWriter(payload))
        {
            VertexJson.Write(writer, alarm);
        }

        return new AlarmRow(
            alarm.VitrageId,
            Time(alarm.Alarm?.StartTimestamp) ?? EventJson.FormatTime(alarm.UpdateTimestamp),
            alarm.Name ?? alarm.Id,
            alarm.Type,
            alarm.AggregatedValue,
            alarm.OperationalValue,
            VertexPropertyReader.GetString(alarm, "project_id"),
            alarm.Alarm?.ResourceType,
            alarm.Alarm?.ResourceVitrageId,
            alarm.Alarm?.ResourceProjectId,
            alarm.DatasourceName,
            System.Text.Encoding.UTF8.GetString(payload.GetBuffer(), 0, (int)payload.Length));
    }

    /// <summary>A datasource's time in the history's one format (UTC, microseconds), so rows sort and compare as text.</summary>
    public static string? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? EventJson.FormatTime(time) : null;
}
