using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Graph;

/// <summary>
/// The properties the graph computes for a vertex, under Vitrage's names: the state pair of a
/// resource, and the severity pair, start and resource of an alarm. They win over a datasource
/// property of the same name, as Vitrage's processor overwrites it. One place for the names, so
/// what the API filters on is what it shows.
/// </summary>
internal static class ComputedProperties
{
    public const string OperationalState = "vitrage_operational_state";
    public const string AggregatedState = "vitrage_aggregated_state";
    public const string OperationalSeverity = "vitrage_operational_severity";
    public const string AggregatedSeverity = "vitrage_aggregated_severity";
    public const string StartTimestamp = "start_timestamp";
    public const string ResourceId = "vitrage_resource_id";
    public const string ResourceType = "vitrage_resource_type";
    public const string ResourceProjectId = "vitrage_resource_project_id";

    /// <summary>Whether <paramref name="name"/> is computed for this vertex, and its value.</summary>
    public static bool TryGet(VertexView vertex, string name, out object? value)
    {
        var alarm = vertex.Category == EntityCategories.Alarm;
        value = (name, alarm) switch
        {
            (OperationalState, false) or (OperationalSeverity, true) => vertex.OperationalValue,
            (AggregatedState, false) or (AggregatedSeverity, true) => vertex.AggregatedValue,
            (StartTimestamp, true) when vertex.Alarm is { } details => details.StartTimestamp,
            (ResourceId, true) when vertex.Alarm?.ResourceVitrageId is { } id => id,
            (ResourceType, true) when vertex.Alarm?.ResourceType is { } type => type,
            (ResourceProjectId, true) when vertex.Alarm?.ResourceProjectId is { } project => project,
            _ => Missing,
        };
        if (ReferenceEquals(value, Missing))
        {
            value = null;
            return false;
        }

        return true;
    }

    /// <summary>Writes every computed property of <paramref name="vertex"/> (an absent aggregated value as null, as Vitrage shows it).</summary>
    public static void Write(Utf8JsonWriter writer, VertexView vertex)
    {
        var alarm = vertex.Category == EntityCategories.Alarm;
        WriteNullable(writer, alarm ? AggregatedSeverity : AggregatedState, vertex.AggregatedValue);
        WriteNullable(writer, alarm ? OperationalSeverity : OperationalState, vertex.OperationalValue);
        if (vertex.Alarm is { } details)
        {
            writer.WriteString(StartTimestamp, details.StartTimestamp);
            WriteIfSet(writer, ResourceId, details.ResourceVitrageId);
            WriteIfSet(writer, ResourceType, details.ResourceType);
            WriteIfSet(writer, ResourceProjectId, details.ResourceProjectId);
        }
    }

    private static readonly object Missing = new();

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
