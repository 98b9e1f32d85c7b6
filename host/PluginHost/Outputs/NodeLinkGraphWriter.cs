using System.Text.Json;
using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Outputs;

/// <summary>
/// Writes the graph in the node-link form of Vitrage's topology API. Deleted vertices and edges
/// are left out; placeholders stay (with <c>vitrage_is_placeholder: true</c>) because they carry the
/// links to entities no datasource here reports, such as the Nova VMs under Kubernetes nodes.
/// </summary>
internal static class NodeLinkGraphWriter
{
    // Flushed in pieces: a 20,000-node graph is tens of MB of JSON that need not sit in memory.
    private const int FlushThreshold = 64 * 1024;

    public static void Write(Utf8JsonWriter writer, EntityGraph graph)
    {
        var nodes = graph.LiveVertices.OrderBy(v => v.Key, StringComparer.Ordinal).ToList();
        var index = new Dictionary<GraphVertex, int>(nodes.Count, ReferenceEqualityComparer.Instance);
        writer.WriteStartObject();
        writer.WriteBoolean("directed", true);
        writer.WriteBoolean("multigraph", true);
        writer.WriteStartObject("graph");
        writer.WriteEndObject();
        writer.WriteStartArray("nodes");
        foreach (var vertex in nodes)
        {
            index[vertex] = index.Count;
            WriteVertex(writer, vertex);
            FlushIfFull(writer);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("links");
        foreach (var vertex in nodes)
        {
            foreach (var edge in vertex.Edges.Values.Where(e => ReferenceEquals(e.Source, vertex) && !e.IsDeleted)
                         .OrderBy(e => e.Target.Key, StringComparer.Ordinal).ThenBy(e => e.RelationshipType, StringComparer.Ordinal))
            {
                if (!index.TryGetValue(edge.Target, out var target))
                {
                    continue;
                }

                writer.WriteStartObject();
                writer.WriteNumber("source", index[vertex]);
                writer.WriteNumber("target", target);
                writer.WriteString(VertexProperties.RelationshipType, edge.RelationshipType);
                writer.WriteString("key", edge.RelationshipType);
                writer.WriteBoolean(VertexProperties.IsDeleted, false);
                writer.WriteString(VertexProperties.UpdateTimestamp, DatasourceEvent.FormatSampleTime(edge.UpdateTimestamp));
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

    private static void WriteVertex(Utf8JsonWriter writer, GraphVertex vertex)
    {
        writer.WriteStartObject();
        writer.WriteString(VertexProperties.VitrageId, vertex.VitrageId);
        writer.WriteString(VertexProperties.Category, vertex.Category);
        writer.WriteString(VertexProperties.Type, vertex.Type);
        writer.WriteString(VertexProperties.Id, vertex.Id);
        WriteOptional(writer, VertexProperties.Name, vertex.Name);
        WriteOptional(writer, VertexProperties.State, vertex.State);
        writer.WriteBoolean(VertexProperties.IsDeleted, vertex.IsDeleted);
        writer.WriteBoolean(VertexProperties.IsPlaceholder, vertex.IsPlaceholder);
        writer.WriteString(VertexProperties.SampleTimestamp, DatasourceEvent.FormatSampleTime(vertex.SampleTimestamp));
        writer.WriteString(VertexProperties.UpdateTimestamp, DatasourceEvent.FormatSampleTime(vertex.UpdateTimestamp));
        WriteOptional(writer, VertexProperties.DatasourceName, vertex.DatasourceName);
        foreach (var (name, value) in vertex.Properties)
        {
            writer.WritePropertyName(name);
            JsonSerializer.Serialize(writer, value, value?.GetType() ?? typeof(object));
        }

        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
