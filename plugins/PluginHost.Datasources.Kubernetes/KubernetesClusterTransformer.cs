using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// The cluster event → Vitrage's own vertex <c>RESOURCE:kubernetes:&lt;cluster&gt;</c> with
/// <c>comprised</c> edges to the Nova instances its nodes run on (exactly Vitrage's graph).
/// </summary>
internal sealed class KubernetesClusterTransformer : IEntityTransformer
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
        if (root.TryGetProperty(KubernetesEventKeys.InstanceIds, out var instanceIds) && instanceIds.ValueKind == JsonValueKind.Array)
        {
            foreach (var instanceId in instanceIds.EnumerateArray())
            {
                if (instanceId.GetString() is { Length: > 0 } id)
                {
                    neighbors.Add(new(new EntityVertex(KnownEntityTypes.NovaInstance, id), EdgeLabels.Comprised, EdgeDirection.FromVertex));
                }
            }
        }

        var vertex = new EntityVertex(KubernetesEntityTypes.Cluster, name) { Name = name, Properties = properties };
        return new EntityUpdate(vertex, neighbors, KubernetesNodeTransformer.ActionOf(datasourceEvent));
    }
}
