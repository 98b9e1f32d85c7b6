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

    /// <summary>
    /// The same event as <see cref="For"/>, made from its bytes as the driver makes it
    /// (<see cref="DatasourceEvent.FromUtf8"/>); a watched change also carries its type.
    /// </summary>
    public static DatasourceEvent FromBytes(JsonNode node, string cluster = "prod", string? watchEventType = null)
    {
        var body = new JsonObject { ["cluster_name"] = cluster };
        if (watchEventType is not null)
        {
            body[KubernetesEventKeys.WatchEventType] = watchEventType;
        }

        body["node"] = node.DeepClone();
        return DatasourceEvent.FromUtf8(KubernetesEntityTypes.Node, DatasourceAction.Update, SampleTime, "kubernetes",
            JsonSerializer.SerializeToUtf8Bytes(body));
    }

    /// <summary>A node transformer created with these settings, as the plugin creates it.</summary>
    public static KubernetesNodeTransformer Transformer(bool includeAnnotations = false, bool fromSystemUuid = false) =>
        new(new NodeMappingSettings(includeAnnotations, fromSystemUuid));

    public static JsonNode Parse(string json) => JsonNode.Parse(json)!;
}
