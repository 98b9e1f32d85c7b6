using System.Globalization;
using System.Text.Json;

namespace PluginHost.Contracts;

/// <summary>
/// One entity as a datasource read it. <see cref="Properties"/> is the datasource's raw object
/// (a JSON object); the transformer registered for <see cref="EntityType"/> turns it into a vertex.
/// </summary>
public sealed record DatasourceEvent(
    string EntityType,
    DatasourceAction Action,
    DateTimeOffset SampleTime,
    string DatasourceName,
    JsonElement Properties)
{
    /// <summary>
    /// The entity type of a marker event, not an entity: a push datasource relaying another host's
    /// snapshots sends it when a relayed snapshot of <see cref="DatasourceName"/> completed; the
    /// host then deletes what that snapshot, started at <see cref="SampleTime"/>, did not report.
    /// </summary>
    public const string SnapshotCompletedEntityType = "plugin_host.snapshot.end";

    /// <summary>Vitrage's wire names for the event's own fields.</summary>
    public static class Keys
    {
        public const string EntityType = "vitrage_entity_type";
        public const string DatasourceAction = "vitrage_datasource_action";
        public const string SampleDate = "vitrage_sample_date";
        public const string DatasourceName = "vitrage_datasource_name";
    }

    /// <summary>Vitrage's spelling of an action: <c>init_snapshot</c>, <c>snapshot</c>, <c>update</c>.</summary>
    public static string ActionName(DatasourceAction action) => action switch
    {
        DatasourceAction.InitSnapshot => "init_snapshot",
        DatasourceAction.Snapshot => "snapshot",
        DatasourceAction.Update => "update",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>Formats a sample time the way events carry it: ISO-8601 UTC with microseconds.</summary>
    public static string FormatSampleTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes the event as one JSON object: the datasource's properties followed by Vitrage's keys,
    /// which is the shape Vitrage's drivers put on its queue.
    /// </summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        if (Properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in Properties.EnumerateObject())
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteString(Keys.EntityType, EntityType);
        writer.WriteString(Keys.DatasourceAction, ActionName(Action));
        writer.WriteString(Keys.SampleDate, FormatSampleTime(SampleTime));
        writer.WriteString(Keys.DatasourceName, DatasourceName);
        writer.WriteEndObject();
    }
}
