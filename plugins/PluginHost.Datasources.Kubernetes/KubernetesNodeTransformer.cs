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
        if (datasourceEvent.TryGetUtf8Properties(out var utf8))
        {
            // The update holds strings and copied bytes only, nothing of the document: disposed here,
            // its pooled metadata (about a node's size) serves the next node's parse instead of
            // becoming garbage with the event, a fifth of what a cold snapshot allocated.
            using var document = JsonDocument.Parse(utf8);
            return Transform(datasourceEvent, document.RootElement);
        }

        return Transform(datasourceEvent, datasourceEvent.Properties);
    }

    private EntityUpdate Transform(DatasourceEvent datasourceEvent, JsonElement root)
    {
        var node = root.GetProperty(KubernetesEventKeys.Node);
        var clusterName = root.GetProperty(KubernetesEventKeys.ClusterName).GetString() ?? string.Empty;

        var properties = KubernetesNodeProperties.Read(node, mapping.IncludeAnnotations, mapping.InstanceIdFromSystemUuid);
        var name = properties.GetValueOrDefault("name") as string;
        var id = properties.GetValueOrDefault("uid") as string ?? name
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

        return new EntityUpdate(vertex, neighbors, ActionOf(datasourceEvent.Action, root))
        {
            Derived = NodeAlarms.Derive(node, id, name, alarms?.Value ?? NodeAlarmMapping.None),
        };
    }

    /// <summary>What an event of <paramref name="action"/> whose entity is <paramref name="root"/> does to its vertex.</summary>
    internal static GraphAction ActionOf(DatasourceAction action, JsonElement root) =>
        root.TryGetProperty(KubernetesEventKeys.WatchEventType, out var type) && type.ValueEquals(KubernetesEventKeys.Deleted)
            ? GraphAction.Delete
            : action == DatasourceAction.Update ? GraphAction.Update : GraphAction.Create;
}
