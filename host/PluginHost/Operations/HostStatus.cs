using System.Text.Json;
using PluginHost.Outputs;

namespace PluginHost.Operations;

/// <summary>
/// What <c>GET /v1/plugin_host/status</c> answers and the <c>status</c> verb prints: each
/// datasource's state (ok / failing since T / never succeeded / starting), its last snapshot,
/// entity counts and last error; each output's state; the graph's size and health.
/// </summary>
internal static class HostStatus
{
    public static void Write(Utf8JsonWriter writer, HostHealth health)
    {
        var scheduler = health.Scheduler;
        var version = scheduler.Versions.Current;
        var entities = version.LiveVertices.GroupBy(v => v.DatasourceName ?? string.Empty).ToDictionary(g => g.Key, g => g.Count());
        var (alive, deadReasons) = health.Liveness();
        var (ready, notReadyReasons) = health.Readiness();
        writer.WriteStartObject();
        writer.WriteBoolean("alive", alive);
        writer.WriteBoolean("ready", ready);
        WriteStrings(writer, "reasons", [.. deadReasons, .. notReadyReasons]);
        WriteStrings(writer, "warnings", health.Warnings());
        writer.WriteStartArray("datasources");
        foreach (var runner in scheduler.Runners.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            var status = runner.Status.Current;
            writer.WriteStartObject();
            writer.WriteString("name", runner.Name);
            writer.WriteString("state", status.State);
            WriteTime(writer, "failing_since", status.FailingSince);
            WriteTime(writer, "last_snapshot_started", status.LastStarted);
            WriteTime(writer, "last_success", status.LastSuccess);
            if (status.LastDuration is { } duration)
            {
                writer.WriteNumber("last_duration_seconds", Math.Round(duration.TotalSeconds, 3));
            }

            writer.WriteNumber("completed_snapshots", status.CompletedSnapshots);
            writer.WriteNumber("failed_snapshots", status.FailedSnapshots);
            writer.WriteNumber("consecutive_failures", status.ConsecutiveFailures);
            writer.WriteNumber("entities", entities.GetValueOrDefault(runner.Name));
            if (status.LastError is { } error)
            {
                writer.WriteString("last_error", error);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("outputs");
        foreach (var output in scheduler.Outputs)
        {
            writer.WriteStartObject();
            writer.WriteString("name", output.Name);
            writer.WriteString("state", output.LastError is null ? "ok" : "failing");
            if (output.LastError is { } error)
            {
                writer.WriteString("last_error", error);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("graph");
        writer.WriteNumber("version", version.Number);
        writer.WriteString("published_at", EventJson.FormatTime(version.PublishedAt));
        writer.WriteNumber("vertices", version.LiveVertices.Count());
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            writer.WriteString(name, EventJson.FormatTime(value));
        }
    }

    public static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
