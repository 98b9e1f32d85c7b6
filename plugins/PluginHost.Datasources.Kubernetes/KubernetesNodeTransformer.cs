using System.Text.Json;
using PluginHost.Contracts;
using PluginHost.Datasources.Kubernetes.Alarms;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// A node event → vertex <c>RESOURCE:kubernetes.node:&lt;uid&gt;</c>, with the cluster
/// <c>comprised</c> → node and, on OpenStack, the Nova instance <c>contains</c> → node; the
/// alarms its conditions and taints raise (<paramref name="alarms"/>) are derived vertices. A
/// watched DELETED deletes the vertex, its edges and its alarms at once.
/// </summary>
/// <param name="alarms">The alarm mapping, read on the first event at the latest (the plugin's own
/// file is read then, see <see cref="KubernetesDatasourcePlugin.CreateTransformers"/>); none when null.</param>
internal sealed class KubernetesNodeTransformer(NodeMappingSettings mapping, Lazy<NodeAlarmMapping>? alarms = null) : IEntityTransformer
{
    public KubernetesNodeTransformer(NodeMappingSettings mapping, NodeAlarmMapping alarms)
        : this(mapping, new Lazy<NodeAlarmMapping>(alarms))
    {
    }

    public EntityUpdate Transform(DatasourceEvent datasourceEvent)
    {
        ArgumentNullException.ThrowIfNull(datasourceEvent);

        // The driver's events are bytes (read here in one pass, never parsed into a document); an
        // event made from an element is read from that element's text, which FromElement gives as
        // strict JSON even from a leniently parsed document (comments, trailing commas).
        return datasourceEvent.TryGetUtf8Properties(out var utf8)
            ? Transform(datasourceEvent.Action, utf8.Span)
            : Transform(datasourceEvent.Action, Utf8JsonValue.FromElement(datasourceEvent.Properties).Utf8);
    }

    private EntityUpdate Transform(DatasourceAction action, ReadOnlySpan<byte> json)
    {
        var node = NodeFieldsReader.Read(json);
        if (!node.HasNode)
        {
            throw new InvalidDataException("a node event has no 'node' member");
        }

        if (!node.HasClusterName)
        {
            throw new InvalidDataException("a node event has no 'cluster_name' member");
        }

        var clusterName = node.ClusterName ?? string.Empty;
        var properties = KubernetesNodeProperties.Read(node, json, mapping.IncludeAnnotations, mapping.InstanceIdFromSystemUuid);
        var name = node.Name;
        var id = node.Uid ?? name
            ?? throw new InvalidDataException("a node event has neither metadata.uid nor metadata.name");
        var vertex = new EntityVertex(KubernetesEntityTypes.Node, id)
        {
            Name = name,
            State = KubernetesNodeProperties.State(node),
            Properties = properties,
        };

        var neighbors = new List<EntityNeighbor>(2)
        {
            new(new EntityVertex(KubernetesEntityTypes.Cluster, clusterName) { Name = clusterName }, EdgeLabels.Comprised, EdgeDirection.ToVertex),
        };
        // Read already parsed the providerID and picked the instance id: no second pass over the node.
        if (KubernetesNodeProperties.OpenStackInstanceId(properties.GetValueOrDefault("provider") as string,
                properties.GetValueOrDefault("instance_id") as string) is { } instanceId)
        {
            neighbors.Add(new(new EntityVertex(KnownEntityTypes.NovaInstance, instanceId), EdgeLabels.Contains, EdgeDirection.ToVertex));
        }

        return new EntityUpdate(vertex, neighbors, ActionOf(action, node.Deleted))
        {
            Derived = NodeAlarms.Derive(node, json, id, name, alarms?.Value ?? NodeAlarmMapping.None),
        };
    }

    /// <summary>What an event of <paramref name="action"/> (its node deleted by a watch or not) does to its vertex.</summary>
    internal static GraphAction ActionOf(DatasourceAction action, bool deleted) =>
        deleted ? GraphAction.Delete : action == DatasourceAction.Update ? GraphAction.Update : GraphAction.Create;

    /// <summary>What an event of <paramref name="action"/> whose entity is <paramref name="root"/> does to its vertex.</summary>
    internal static GraphAction ActionOf(DatasourceAction action, JsonElement root) =>
        ActionOf(action, root.TryGetProperty(KubernetesEventKeys.WatchEventType, out var type) && type.ValueEquals(KubernetesEventKeys.Deleted));
}
