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
            WriteNode(writer, graph, i);
            await FlushIfFullAsync(writer, cancellationToken).ConfigureAwait(false);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("links");
        for (var i = 0; i < graph.Links.Count; i++)
        {
            WriteLink(writer, graph, i);
            await FlushIfFullAsync(writer, cancellationToken).ConfigureAwait(false);
        }

        writer.WriteEndArray();
        writer.WriteBoolean("raw", true);
        writer.WriteEndObject();
    }

    /// <summary>The node at <paramref name="index"/>, one element of <c>nodes</c>.</summary>
    public static void WriteNode(Utf8JsonWriter writer, Subgraph graph, int index)
    {
        writer.WriteStartObject();
        VertexJson.WriteProperties(writer, graph.Nodes[index]);
        writer.WriteNumber(GraphIndex, index);
        writer.WriteEndObject();
    }

    /// <summary>The link at <paramref name="index"/>, one element of <c>links</c>.</summary>
    public static void WriteLink(Utf8JsonWriter writer, Subgraph graph, int index)
    {
        var link = graph.Links[index];
        writer.WriteStartObject();
        writer.WriteNumber("source", link.Source);
        writer.WriteNumber("target", link.Target);
        VertexJson.WriteEdgeProperties(writer, link.Edge);
        writer.WriteEndObject();
    }

    /// <summary>Hands what is written so far to the stream once enough has gathered.</summary>
    public static ValueTask FlushIfFullAsync(Utf8JsonWriter writer, CancellationToken cancellationToken) =>
        writer.BytesPending > FlushThreshold ? new ValueTask(writer.FlushAsync(cancellationToken)) : ValueTask.CompletedTask;
}
