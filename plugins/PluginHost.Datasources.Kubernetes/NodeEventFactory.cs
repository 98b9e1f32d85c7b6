using System.Buffers;
using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// Builds a node event from the node's raw bytes: the bytes are copied as they came (the page
/// scan validated them) behind the cluster's name, and parsed once into a document of the
/// event's own. The node's uid and resourceVersion become the event's entity id and version, so
/// the host skips the transform of a node that did not change. A watched change also carries the
/// watch event's type, so the transformer deletes the node of a DELETED one. One factory per
/// reader (a snapshot, a watch); not thread-safe.
/// </summary>
internal sealed class NodeEventFactory(string datasourceName, string clusterName) : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private Utf8JsonWriter? _writer;

    /// <param name="node">The node's raw JSON (validated by the caller's reader).</param>
    /// <param name="action">Why it was read.</param>
    /// <param name="sampleTime">When.</param>
    /// <param name="watchEventType">For a watched change, <c>ADDED</c>, <c>MODIFIED</c> or <c>DELETED</c>.</param>
    public DatasourceEvent Create(ReadOnlySpan<byte> node, DatasourceAction action, DateTimeOffset sampleTime, string? watchEventType = null)
    {
        _buffer.ResetWrittenCount();
        var writer = _writer ??= new Utf8JsonWriter(_buffer);
        writer.Reset(_buffer);
        writer.WriteStartObject();
        writer.WriteString(KubernetesEventKeys.ClusterName, clusterName);
        if (watchEventType is not null)
        {
            writer.WriteString(KubernetesEventKeys.WatchEventType, watchEventType);
        }

        writer.WritePropertyName(KubernetesEventKeys.Node);
        writer.WriteRawValue(node, skipInputValidation: true);
        writer.WriteEndObject();
        writer.Flush();

        // ParseValue copies the bytes into an exact-size document of the event's own.
        var reader = new Utf8JsonReader(_buffer.WrittenSpan);
        var properties = JsonElement.ParseValue(ref reader);
        var (uid, resourceVersion) = Identity(properties.GetProperty(KubernetesEventKeys.Node));
        return new DatasourceEvent(KubernetesEntityTypes.Node, action, sampleTime, datasourceName, properties)
        {
            EntityId = uid,

            // A deletion is never "unchanged": the host must transform it to delete the vertex.
            EntityVersion = uid is null || watchEventType == KubernetesEventKeys.Deleted ? null : resourceVersion,
        };
    }

    private static (string? Uid, string? ResourceVersion) Identity(JsonElement node) =>
        node.ValueKind == JsonValueKind.Object && node.TryGetProperty("metadata"u8, out var metadata) && metadata.ValueKind == JsonValueKind.Object
            ? (Text(metadata, "uid"u8), Text(metadata, "resourceVersion"u8))
            : (null, null);

    private static string? Text(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public void Dispose() => _writer?.Dispose();
}
