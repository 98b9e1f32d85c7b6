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
        var root = datasourceEvent.Properties;
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

        return new EntityUpdate(vertex, neighbors, ActionOf(datasourceEvent))
        {
            Derived = NodeAlarms.Derive(node, id, name, alarms?.Value ?? NodeAlarmMapping.None),
        };
    }

    internal static GraphAction ActionOf(DatasourceEvent e) =>
        e.Properties.TryGetProperty(KubernetesEventKeys.WatchEventType, out var type) && type.ValueEquals(KubernetesEventKeys.Deleted)
            ? GraphAction.Delete
            : e.Action == DatasourceAction.Update ? GraphAction.Update : GraphAction.Create;
}
