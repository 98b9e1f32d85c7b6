using System.Collections;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Outputs;

/// <summary>A vertex and an edge as Vitrage's API and files show them: its bookkeeping, then the datasource's properties.</summary>
internal static class VertexJson
{
    public static void Write(Utf8JsonWriter writer, VertexView vertex)
    {
        writer.WriteStartObject();
        WriteProperties(writer, vertex);
        writer.WriteEndObject();
    }

    /// <summary>The vertex's properties, without the enclosing braces (callers may add their own).</summary>
    public static void WriteProperties(Utf8JsonWriter writer, VertexView vertex)
    {
        writer.WriteString(VertexProperties.VitrageId, vertex.VitrageId);
        writer.WriteString(VertexProperties.Category, vertex.Category);
        writer.WriteString(VertexProperties.Type, vertex.Type);
        writer.WriteString(VertexProperties.Id, vertex.Id);
        WriteOptional(writer, VertexProperties.Name, vertex.Name);
        WriteOptional(writer, VertexProperties.State, vertex.State);
        writer.WriteBoolean(VertexProperties.IsDeleted, vertex.IsDeleted);
        writer.WriteBoolean(VertexProperties.IsPlaceholder, vertex.IsPlaceholder);
        writer.WriteString(VertexProperties.SampleTimestamp, EventJson.FormatTime(vertex.SampleTimestamp));
        writer.WriteString(VertexProperties.UpdateTimestamp, EventJson.FormatTime(vertex.UpdateTimestamp));
        WriteOptional(writer, VertexProperties.DatasourceName, vertex.DatasourceName);
        ComputedProperties.Write(writer, vertex);
        foreach (var (name, value) in vertex.Properties)
        {
            if (ComputedProperties.TryGet(vertex, name, out _))
            {
                continue; // the graph's value wins, as in Vitrage
            }

            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }
    }

    /// <summary>An edge's own properties (Vitrage's link keys besides source and target).</summary>
    public static void WriteEdgeProperties(Utf8JsonWriter writer, EdgeView edge)
    {
        writer.WriteString(VertexProperties.RelationshipType, edge.RelationshipType);
        writer.WriteString("key", edge.RelationshipType);
        writer.WriteBoolean(VertexProperties.IsDeleted, edge.IsDeleted);
        writer.WriteString(VertexProperties.UpdateTimestamp, EventJson.FormatTime(edge.UpdateTimestamp));
    }

    /// <summary>
    /// A property value (see <c>EntityVertex.Properties</c>). Written here rather than by
    /// JsonSerializer, which flushes the writer: a synchronous write an HTTP response refuses.
    /// </summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case JsonElement element:
                // Copied as the bytes they are (already valid JSON); WriteTo would re-read them.
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(element), skipInputValidation: true);
                break;
            case Utf8JsonValue json:
                // Half of a node's output is such values (conditions, labels, capacity): copied as they are.
                json.WriteTo(writer);
                break;
            case int or long or short or byte or sbyte or ushort or uint:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong big:
                writer.WriteNumberValue(big);
                break;
            case decimal exact:
                writer.WriteNumberValue(exact);
                break;
            case double or float:
                writer.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, item);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable items and not IDictionary:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteRawValue(JsonSerializer.SerializeToUtf8Bytes(value, value.GetType()), skipInputValidation: true);
                break;
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
