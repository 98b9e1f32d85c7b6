using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes.Tests;

/// <summary>Builds node events the way the driver does, for transformer tests.</summary>
internal static class NodeEvents
{
    public static readonly DateTimeOffset SampleTime = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public static DatasourceEvent For(JsonNode node, string cluster = "prod") =>
        new(KubernetesEntityTypes.Node, DatasourceAction.Snapshot, SampleTime, "kubernetes",
            JsonSerializer.SerializeToElement(new JsonObject
            {
                ["cluster_name"] = cluster,
                ["node"] = node.DeepClone(),
            }));

    /// <summary>A node transformer created with these settings, as the plugin creates it.</summary>
    public static KubernetesNodeTransformer Transformer(bool includeAnnotations = false, bool fromSystemUuid = false) =>
        new(new NodeMappingSettings(includeAnnotations, fromSystemUuid));

    public static JsonNode Parse(string json) => JsonNode.Parse(json)!;
}
