using System.Text.Json;
using PluginHost.Graph;

namespace PluginHost.Outputs;

/// <summary>
/// Writes a <see cref="Subgraph"/> in the node-link form of Vitrage's topology API:
/// <c>directed, multigraph, graph, nodes, links, raw</c>, each node with its <c>graph_index</c>
/// (Vitrage leaves it off vertices without an entity id, such as its Kubernetes cluster, which is
/// what breaks its tree view) and links by node index. The graph file, <c>snapshot</c> and the
/// REST API all write this one shape.
/// </summary>
internal static class NodeLinkGraphWriter
{
    public const string GraphIndex = "graph_index";

    // Flushed in pieces: a 20,000-node graph is tens of MB of JSON that need not sit in memory,
    // and a slow HTTP client holds back the writer instead of growing a buffer. Small enough that
    // the writer's buffer stays off the large object heap (85 KB), where each request's would
    // linger until a full collection.
    private const int FlushThreshold = 16 * 1024;

    public static async Task WriteAsync(Utf8JsonWriter writer, Subgraph graph, CancellationToken cancellationToken)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("directed", true);
        writer.WriteBoolean("multigraph", true);
        writer.WriteStartObject("graph");
        writer.WriteEndObject();
        writer.WriteStartArray("nodes");
        for (var i = 0; i < graph.Nodes.Count; i++)
        {
            writer.WriteStartObject();
            VertexJson.WriteProperties(writer, graph.Nodes[i]);
            writer.WriteNumber(GraphIndex, i);
            writer.WriteEndObject();
            await FlushIfFullAsync(writer, cancellationToken).ConfigureAwait(false);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("links");
        foreach (var link in graph.Links)
        {
            writer.WriteStartObject();
            writer.WriteNumber("source", link.Source);
            writer.WriteNumber("target", link.Target);
            VertexJson.WriteEdgeProperties(writer, link.Edge);
            writer.WriteEndObject();
            await FlushIfFullAsync(writer, cancellationToken).ConfigureAwait(false);
        }

        writer.WriteEndArray();
        writer.WriteBoolean("raw", true);
        writer.WriteEndObject();
    }

    /// <summary>Hands what is written so far to the stream once enough has gathered.</summary>
    public static ValueTask FlushIfFullAsync(Utf8JsonWriter writer, CancellationToken cancellationToken) =>
        writer.BytesPending > FlushThreshold ? new ValueTask(writer.FlushAsync(cancellationToken)) : ValueTask.CompletedTask;
}
