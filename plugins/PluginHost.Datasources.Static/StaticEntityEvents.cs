using System.Text.Json.Nodes;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Static;

/// <summary>
/// Turns the valid files into one event body per entity, keyed by the entity's vertex key. Each
/// relationship is carried by its source. Whether an entity is the static datasource's own or
/// a reference to another datasource's (a Nova VM) is the host's call, from its type.
/// </summary>
internal static class StaticEntityEvents
{
    public static SortedDictionary<string, JsonObject> Build(IEnumerable<StaticFile> files)
    {
        var events = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var byStaticId = file.Entities.ToDictionary(e => e.StaticId, StringComparer.Ordinal);
            foreach (var entity in file.Entities)
            {
                var key = EntityVertex.BuildKey(entity.Category, entity.Type, entity.Id);
                if (!events.ContainsKey(key))
                {
                    events[key] = Body(entity, file);
                }
            }

            foreach (var relationship in file.Relationships)
            {
                var source = byStaticId[relationship.Source];
                var target = byStaticId[relationship.Target];
                var list = events[EntityVertex.BuildKey(source.Category, source.Type, source.Id)][StaticEventKeys.Relationships]!.AsArray();
                var link = new JsonObject
                {
                    [StaticEventKeys.Category] = target.Category,
                    [StaticEventKeys.Type] = target.Type,
                    [StaticEventKeys.Id] = target.Id,
                    [StaticEventKeys.RelationshipType] = relationship.RelationshipType,
                };
                if (target.Properties.GetValueOrDefault("name") is string name)
                {
                    link["name"] = name;
                }

                if (!list.Any(existing => JsonNode.DeepEquals(existing, link)))
                {
                    list.Add(link);
                }
            }
        }

        return events;
    }

    private static JsonObject Body(StaticEntity entity, StaticFile file) => new()
    {
        [StaticEventKeys.StaticId] = entity.StaticId,
        [StaticEventKeys.Type] = entity.Type,
        [StaticEventKeys.Id] = entity.Id,
        [StaticEventKeys.Category] = entity.Category,
        [StaticEventKeys.File] = Path.GetFileName(file.Path),
        [StaticEventKeys.Properties] = System.Text.Json.JsonSerializer.SerializeToNode(entity.Properties),
        [StaticEventKeys.Relationships] = new JsonArray(),
    };
}
