using System.Buffers;
using System.Globalization;
using System.Text.Json;
using PluginHost.Api.Query;
using PluginHost.Graph;
using PluginHost.Outputs;

namespace PluginHost.History;

/// <summary>An alarm vertex as a history row: Vitrage's columns, and the whole alarm as its payload.</summary>
internal static class AlarmRows
{
    // One buffer and writer per thread, reused: a row is made for every alarm that starts or ends
    // (under a watch's steady changes, dozens a second), and only its text is kept.
    private const int MaxKeptBytes = 256 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_payload;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static AlarmRow From(VertexView alarm)
    {
        var payload = t_payload ??= new ArrayBufferWriter<byte>(4096);
        payload.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(payload);
        writer.Reset(payload);
        VertexJson.Write(writer, alarm);
        writer.Flush();
        var text = System.Text.Encoding.UTF8.GetString(payload.WrittenSpan);
        if (payload.Capacity > MaxKeptBytes)
        {
            t_payload = null; // an outsized alarm's buffer is not kept for the thread's lifetime
            t_writer = null;
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
            text);
    }

    /// <summary>A datasource's time in the history's one format (UTC, microseconds), so rows sort and compare as text.</summary>
    public static string? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? EventJson.FormatTime(time) : null;
}
