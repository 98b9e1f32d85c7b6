using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Static;

/// <summary>
/// A static event → the entity's vertex (its own type and id) with the relationships it carries.
/// An entity of another datasource's type is a reference (the host only links it).
/// </summary>
internal sealed class StaticEntityTransformer : IEntityTransformer
{
    public EntityUpdate Transform(DatasourceEvent datasourceEvent)
    {
        ArgumentNullException.ThrowIfNull(datasourceEvent);
        var root = datasourceEvent.Properties;
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["static_id"] = root.GetProperty(StaticEventKeys.StaticId).GetString(),
            [StaticEventKeys.File] = root.GetProperty(StaticEventKeys.File).GetString(),
        };
        string? name = null;
        string? state = null;
        foreach (var property in root.GetProperty(StaticEventKeys.Properties).EnumerateObject())
        {
            switch (property.Name)
            {
                case "name":
                    name = Text(property.Value);
                    break;
                case "state":
                    state = Text(property.Value);
                    break;
                default:
                    properties[property.Name] = property.Value.Clone();
                    break;
            }
        }

        var vertex = new EntityVertex(root.GetProperty(StaticEventKeys.Type).GetString()!, root.GetProperty(StaticEventKeys.Id).GetString()!)
        {
            Category = root.GetProperty(StaticEventKeys.Category).GetString()!,
            Name = name,
            State = state,
            Properties = properties,
        };
        var neighbors = root.GetProperty(StaticEventKeys.Relationships).EnumerateArray().Select(link => new EntityNeighbor(
            new EntityVertex(link.GetProperty(StaticEventKeys.Type).GetString()!, link.GetProperty(StaticEventKeys.Id).GetString()!)
            {
                Category = link.GetProperty(StaticEventKeys.Category).GetString()!,
                Name = link.TryGetProperty("name", out var n) ? n.GetString() : null,
            },
            link.GetProperty(StaticEventKeys.RelationshipType).GetString()!,
            EdgeDirection.FromVertex)).ToList();

        var deleted = root.TryGetProperty(StaticEventKeys.Deleted, out var d) && d.ValueKind == JsonValueKind.True;
        var action = deleted ? GraphAction.Delete : datasourceEvent.Action == DatasourceAction.Update ? GraphAction.Update : GraphAction.Create;
        return new EntityUpdate(vertex, neighbors, action);
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => null,
        _ => value.GetRawText(),
    };
}
