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

    // Names encoded once rather than on every vertex: a graph writes each of them per vertex.
    private static readonly JsonEncodedText VitrageIdName = JsonEncodedText.Encode(VertexProperties.VitrageId);
    private static readonly JsonEncodedText CategoryName = JsonEncodedText.Encode(VertexProperties.Category);
    private static readonly JsonEncodedText TypeName = JsonEncodedText.Encode(VertexProperties.Type);
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode(VertexProperties.Id);
    private static readonly JsonEncodedText NameName = JsonEncodedText.Encode(VertexProperties.Name);
    private static readonly JsonEncodedText StateName = JsonEncodedText.Encode(VertexProperties.State);
    private static readonly JsonEncodedText IsDeletedName = JsonEncodedText.Encode(VertexProperties.IsDeleted);
    private static readonly JsonEncodedText IsPlaceholderName = JsonEncodedText.Encode(VertexProperties.IsPlaceholder);
    private static readonly JsonEncodedText SampleTimestampName = JsonEncodedText.Encode(VertexProperties.SampleTimestamp);
    private static readonly JsonEncodedText UpdateTimestampName = JsonEncodedText.Encode(VertexProperties.UpdateTimestamp);
    private static readonly JsonEncodedText DatasourceNameName = JsonEncodedText.Encode(VertexProperties.DatasourceName);
    private static readonly JsonEncodedText RelationshipTypeName = JsonEncodedText.Encode(VertexProperties.RelationshipType);
    private static readonly JsonEncodedText KeyName = JsonEncodedText.Encode("key");

    /// <summary>The vertex's properties, without the enclosing braces (callers may add their own).</summary>
    public static void WriteProperties(Utf8JsonWriter writer, VertexView vertex)
    {
        writer.WriteString(VitrageIdName, vertex.VitrageId);
        writer.WriteString(CategoryName, vertex.Category);
        writer.WriteString(TypeName, vertex.Type);
        writer.WriteString(IdName, vertex.Id);
        WriteOptional(writer, NameName, vertex.Name);
        WriteOptional(writer, StateName, vertex.State);
        writer.WriteBoolean(IsDeletedName, vertex.IsDeleted);
        writer.WriteBoolean(IsPlaceholderName, vertex.IsPlaceholder);
        EventJson.WriteTime(writer, SampleTimestampName, vertex.SampleTimestamp);
        EventJson.WriteTime(writer, UpdateTimestampName, vertex.UpdateTimestamp);
        WriteOptional(writer, DatasourceNameName, vertex.DatasourceName);
        ComputedProperties.Write(writer, vertex);
        if (vertex.Properties is Dictionary<string, object?> own)
        {
            // The usual case, enumerated without an enumerator object per vertex.
            foreach (var (name, value) in own)
            {
                WriteProperty(writer, vertex, name, value);
            }
        }
        else
        {
            foreach (var (name, value) in vertex.Properties)
            {
                WriteProperty(writer, vertex, name, value);
            }
        }
    }

    /// <summary>An edge's own properties (Vitrage's link keys besides source and target).</summary>
    public static void WriteEdgeProperties(Utf8JsonWriter writer, EdgeView edge)
    {
        writer.WriteString(RelationshipTypeName, edge.RelationshipType);
        writer.WriteString(KeyName, edge.RelationshipType);
        writer.WriteBoolean(IsDeletedName, edge.IsDeleted);
        EventJson.WriteTime(writer, UpdateTimestampName, edge.UpdateTimestamp);
    }

    private static void WriteProperty(Utf8JsonWriter writer, VertexView vertex, string name, object? value)
    {
        if (VertexProperties.IsVertexField(name) || ComputedProperties.TryGet(vertex, name, out _))
        {
            // The graph's value wins, as in Vitrage, and a key is written once: a datasource's own
            // "name" (the Kubernetes node's) beside the vertex's made an object with the key twice,
            // which strict parsers (.NET's JsonNode, PowerShell) refuse. As VertexPropertyReader reads it.
            return;
        }

        writer.WritePropertyName(name);
        WriteValue(writer, value);
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

    private static void WriteOptional(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
