using System.Text.Json.Nodes;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Static;

/// <summary>
/// Turns the valid files into one event body per entity, keyed by the entity's vertex key.
/// Each relationship is carried by one side: the source when the source is the static
/// datasource's own entity, else the target when that one is, else the source (a link between
/// two references).
/// </summary>
internal static class StaticEntityEvents
{
    public static SortedDictionary<string, JsonObject> Build(IEnumerable<StaticFile> files, IReadOnlySet<string> foreignTypes)
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
                    events[key] = Body(entity, file, foreignTypes.Contains(entity.Type));
                }
            }

            foreach (var relationship in file.Relationships)
            {
                var source = byStaticId[relationship.Source];
                var target = byStaticId[relationship.Target];
                var sourceOwned = !foreignTypes.Contains(source.Type);
                var targetOwned = !foreignTypes.Contains(target.Type);
                var (carrier, other, direction) = sourceOwned || !targetOwned
                    ? (source, target, StaticEventKeys.Outgoing)
                    : (target, source, StaticEventKeys.Incoming);
                var list = events[EntityVertex.BuildKey(carrier.Category, carrier.Type, carrier.Id)][StaticEventKeys.Relationships]!.AsArray();
                var link = new JsonObject
                {
                    [StaticEventKeys.Category] = other.Category,
                    [StaticEventKeys.Type] = other.Type,
                    [StaticEventKeys.Id] = other.Id,
                    [StaticEventKeys.RelationshipType] = relationship.RelationshipType,
                    [StaticEventKeys.Direction] = direction,
                };
                if (other.Properties.GetValueOrDefault("name") is string name)
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

    private static JsonObject Body(StaticEntity entity, StaticFile file, bool isReference) => new()
    {
        [StaticEventKeys.StaticId] = entity.StaticId,
        [StaticEventKeys.Type] = entity.Type,
        [StaticEventKeys.Id] = entity.Id,
        [StaticEventKeys.Category] = entity.Category,
        [StaticEventKeys.File] = Path.GetFileName(file.Path),
        [StaticEventKeys.IsReference] = isReference,
        [StaticEventKeys.Properties] = System.Text.Json.JsonSerializer.SerializeToNode(entity.Properties),
        [StaticEventKeys.Relationships] = new JsonArray(),
    };
}
