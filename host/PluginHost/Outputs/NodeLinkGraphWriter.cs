using System.Text.Json;
using PluginHost.Graph;

namespace PluginHost.Outputs;

/// <summary>
/// Writes a graph version in the node-link form of Vitrage's topology API. Deleted vertices and
/// edges are left out; placeholders stay (with <c>vitrage_is_placeholder: true</c>) because they
/// carry the links to entities no datasource here reports, such as the Nova VMs under Kubernetes
/// nodes.
/// </summary>
internal static class NodeLinkGraphWriter
{
    // Flushed in pieces: a 20,000-node graph is tens of MB of JSON that need not sit in memory.
    private const int FlushThreshold = 64 * 1024;

    public static void Write(Utf8JsonWriter writer, GraphVersion graph)
    {
        var nodes = graph.LiveVertices.OrderBy(v => v.Key, StringComparer.Ordinal).ToList();
        var index = new Dictionary<string, int>(nodes.Count, StringComparer.Ordinal);
        writer.WriteStartObject();
        writer.WriteBoolean("directed", true);
        writer.WriteBoolean("multigraph", true);
        writer.WriteStartObject("graph");
        writer.WriteEndObject();
        writer.WriteStartArray("nodes");
        foreach (var vertex in nodes)
        {
            index[vertex.Key] = index.Count;
            VertexJson.Write(writer, vertex);
            FlushIfFull(writer);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("links");
        foreach (var vertex in nodes)
        {
            foreach (var edge in vertex.OutgoingLiveEdges
                         .OrderBy(e => e.TargetKey, StringComparer.Ordinal).ThenBy(e => e.RelationshipType, StringComparer.Ordinal))
            {
                if (!index.TryGetValue(edge.TargetKey, out var target))
                {
                    continue;
                }

                writer.WriteStartObject();
                writer.WriteNumber("source", index[vertex.Key]);
                writer.WriteNumber("target", target);
                VertexJson.WriteEdgeProperties(writer, edge);
                writer.WriteEndObject();
                FlushIfFull(writer);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void FlushIfFull(Utf8JsonWriter writer)
    {
        if (writer.BytesPending > FlushThreshold)
        {
            writer.Flush();
        }
    }
}
