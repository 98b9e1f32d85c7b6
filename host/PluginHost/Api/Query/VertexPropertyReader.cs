using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.Outputs;

namespace PluginHost.Api.Query;

/// <summary>
/// A vertex's property by its Vitrage name, as the API shows it (<see cref="VertexJson"/>): the
/// host's bookkeeping first, then the datasource's properties. Absent is <c>null</c>, like
/// Python's <c>dict.get</c>.
/// </summary>
internal static class VertexPropertyReader
{
    private static readonly object True = true;
    private static readonly object False = false;

    public static object? Get(VertexView vertex, string name) => name switch
    {
        VertexProperties.VitrageId => vertex.VitrageId,
        VertexProperties.Category => vertex.Category,
        VertexProperties.Type => vertex.Type,
        VertexProperties.Id => vertex.Id,
        VertexProperties.Name => vertex.Name,
        VertexProperties.State => vertex.State,
        VertexProperties.IsDeleted => vertex.IsDeleted ? True : False,
        VertexProperties.IsPlaceholder => vertex.IsPlaceholder ? True : False,
        VertexProperties.SampleTimestamp => EventJson.FormatTime(vertex.SampleTimestamp),
        VertexProperties.UpdateTimestamp => EventJson.FormatTime(vertex.UpdateTimestamp),
        VertexProperties.DatasourceName => vertex.DatasourceName,
        _ => ComputedProperties.TryGet(vertex, name, out var computed) ? computed : vertex.Properties.GetValueOrDefault(name),
    };

    /// <summary>A string-valued property (a string or a JSON string), else <c>null</c>.</summary>
    public static string? GetString(VertexView vertex, string name) => Get(vertex, name) switch
    {
        string text => text,
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.String } element => element.GetString(),
        Utf8JsonValue { ValueKind: System.Text.Json.JsonValueKind.String } json => json.ToElement().GetString(),
        _ => null,
    };
}
