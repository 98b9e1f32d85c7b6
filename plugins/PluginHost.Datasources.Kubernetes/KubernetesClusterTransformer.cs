using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// The cluster event → Vitrage's own vertex <c>RESOURCE:kubernetes:&lt;cluster&gt;</c> with
/// <c>comprised</c> edges to the Nova instances its nodes run on (exactly Vitrage's graph).
/// </summary>
internal sealed class KubernetesClusterTransformer(NodeMappingSettings mapping) : IEntityTransformer
{
    public EntityUpdate Transform(DatasourceEvent datasourceEvent)
    {
        ArgumentNullException.ThrowIfNull(datasourceEvent);
        var root = datasourceEvent.Properties;
        var name = root.GetProperty(KubernetesEventKeys.Name).GetString() ?? string.Empty;
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in new[] { KubernetesEventKeys.Server, KubernetesEventKeys.Context, KubernetesEventKeys.KubernetesVersion })
        {
            if (root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String)
            {
                properties[key] = value.GetString();
            }
        }

        if (root.TryGetProperty(KubernetesEventKeys.NodeCount, out var count) && count.TryGetInt64(out var nodes))
        {
            properties[KubernetesEventKeys.NodeCount] = nodes;
        }

        var neighbors = new List<EntityNeighbor>();
        var linked = new HashSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty(KubernetesEventKeys.NodeIdentities, out var identities) && identities.ValueKind == JsonValueKind.Array)
        {
            foreach (var identity in identities.EnumerateArray())
            {
                var providerId = ProviderId.Parse(Text(identity, KubernetesEventKeys.ProviderId));
                var instanceId = KubernetesNodeProperties.InstanceId(providerId, Text(identity, KubernetesEventKeys.ExternalId),
                    Text(identity, KubernetesEventKeys.SystemUuid), mapping.InstanceIdFromSystemUuid);
                if (KubernetesNodeProperties.OpenStackInstanceId(providerId.Provider, instanceId) is { } novaId
                    && linked.Add(novaId))
                {
                    neighbors.Add(new(new EntityVertex(KnownEntityTypes.NovaInstance, novaId), EdgeLabels.Comprised, EdgeDirection.FromVertex));
                }
            }
        }

        var vertex = new EntityVertex(KubernetesEntityTypes.Cluster, name) { Name = name, Properties = properties };
        return new EntityUpdate(vertex, neighbors, KubernetesNodeTransformer.ActionOf(datasourceEvent.Action, root));
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
