using System.Text.Json;
using PluginHost.Api.Query;
using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.Outputs;

namespace PluginHost.Api.Views;

/// <summary>
/// <c>/v1/alarm/</c> from one graph version: the live ALARM vertices a datasource reports (each
/// <c>on</c> the resource it is about), so alarms appear here as soon as a plugin produces them.
/// Vitrage reads alarms from its history database; the graph holds the active ones.
/// </summary>
internal static class AlarmReader
{
    public const string Severity = ComputedProperties.OperationalSeverity;
    public const string ResourceId = ComputedProperties.ResourceId;
    public const string ResourceType = ComputedProperties.ResourceType;
    public const string ResourceProjectId = ComputedProperties.ResourceProjectId;
    public const string StartTimestamp = ComputedProperties.StartTimestamp;

    /// <summary>The keys of <c>alarm count</c>, in Vitrage's order; other severities count as N/A.</summary>
    public static IReadOnlyList<string> Severities { get; } = ["SEVERE", "CRITICAL", "WARNING", "OK", "N/A"];

    /// <summary>
    /// One page of the active alarms the caller may see, on one resource (by vitrage_id) or all, in
    /// <paramref name="page"/>'s order (by default start time, then vitrage_id).
    /// </summary>
    /// <exception cref="MarkerNotActiveException">The page's marker names no active alarm the caller may see, and no <paramref name="markerValues"/> were given.</exception>
    public static List<VertexView> List(GraphVersion graph, TenantScope scope, string? resourceVitrageId, AlarmPage page, string[]? markerValues = null)
    {
        var resource = resourceVitrageId is null ? null : graph.FindByVitrageId(resourceVitrageId);
        if (resourceVitrageId is not null && resource is null)
        {
            return [];
        }

        return page.Take(graph.Vertices.Values
            .Where(v => VertexFilters.Alarm(v) && scope.CanSee(v, graph) && (resource is null || ResourceOf(v, graph)?.Key == resource.Key)), markerValues);
    }

    /// <summary>What an alarm shows under <paramref name="column"/> (its start: when the graph first saw it, if the datasource gave none).</summary>
    public static string? Column(VertexView alarm, string column) => column == StartTimestamp
        ? VertexPropertyReader.GetString(alarm, StartTimestamp) ?? EventJson.FormatTime(alarm.SampleTimestamp)
        : VertexPropertyReader.GetString(alarm, column);

    public static VertexView? Show(GraphVersion graph, string vitrageId, TenantScope scope) =>
        graph.FindByVitrageId(vitrageId) is { Category: EntityCategories.Alarm } alarm && scope.CanSee(alarm, graph) ? alarm : null;

    public static Dictionary<string, int> Count(GraphVersion graph, TenantScope scope)
    {
        var counts = Severities.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
        foreach (var alarm in graph.Vertices.Values.Where(v => VertexFilters.Alarm(v) && scope.CanSee(v, graph)))
        {
            var severity = VertexPropertyReader.GetString(alarm, Severity)?.ToUpperInvariant();
            counts[severity is not null && counts.ContainsKey(severity) ? severity : "N/A"]++;
        }

        return counts;
    }

    /// <summary>The alarm's properties, with the resource it is on when neither the graph nor the datasource named it.</summary>
    public static void Write(Utf8JsonWriter writer, VertexView alarm, GraphVersion graph)
    {
        writer.WriteStartObject();
        VertexJson.WriteProperties(writer, alarm);
        if (ResourceOf(alarm, graph) is { } resource)
        {
            WriteIfAbsent(writer, alarm, ResourceId, resource.VitrageId);
            WriteIfAbsent(writer, alarm, ResourceType, resource.Type);
            WriteIfAbsent(writer, alarm, ResourceProjectId, VertexPropertyReader.GetString(resource, TenantScope.ProjectId));
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The resource an alarm is on: the one its details name (its own <c>on</c> edge, as its
    /// <c>vitrage_resource_id</c> says), else, for an alarm without them, its first live <c>on</c> edge's.
    /// </summary>
    public static VertexView? ResourceOf(VertexView alarm, GraphVersion graph) =>
        alarm.Alarm?.ResourceVitrageId is { } id ? graph.FindByVitrageId(id)
        : alarm.OutgoingLiveEdges.FirstOrDefault(e => e.RelationshipType == EdgeLabels.On) is { } on ? graph.Find(on.TargetKey) : null;

    private static void WriteIfAbsent(Utf8JsonWriter writer, VertexView alarm, string name, string? value)
    {
        if (value is not null && VertexPropertyReader.Get(alarm, name) is null)
        {
            writer.WriteString(name, value);
        }
    }
}
