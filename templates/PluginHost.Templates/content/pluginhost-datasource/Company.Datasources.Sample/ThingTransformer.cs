using System.Text.Json;
using PluginHost.Contracts;

namespace Company.Datasources.Sample;

/// <summary>
/// A thing → vertex <c>RESOURCE:mysource.thing:&lt;id&gt;</c>; when it runs on an OpenStack VM, the
/// Nova instance <c>contains</c> it (a placeholder until Nova's own datasource reports the VM). A
/// pure function of the event: no I/O, no clock, no state.
/// </summary>
internal sealed class ThingTransformer : IEntityTransformer
{
    public EntityUpdate Transform(DatasourceEvent datasourceEvent)
    {
        ArgumentNullException.ThrowIfNull(datasourceEvent);
        var thing = datasourceEvent.Properties;
        var id = Text(thing, "id") ?? throw new InvalidDataException("a thing has no id");
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in thing.EnumerateObject())
        {
            if (property.Name is not ("id" or "name" or "state"))
            {
                properties[property.Name] = property.Value.Clone();
            }
        }

        var vertex = new EntityVertex(SamplePlugin.ThingType, id)
        {
            Name = Text(thing, "name") ?? id,
            State = Text(thing, "state"),
            Properties = properties,
        };
        var neighbors = Text(thing, "instance_id") is { Length: > 0 } instanceId
            ? new[] { new EntityNeighbor(new EntityVertex(KnownEntityTypes.NovaInstance, instanceId), EdgeLabels.Contains, EdgeDirection.ToVertex) }
            : [];
        var action = datasourceEvent.Action == DatasourceAction.Update ? GraphAction.Update : GraphAction.Create;
        return new EntityUpdate(vertex, neighbors, action);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
