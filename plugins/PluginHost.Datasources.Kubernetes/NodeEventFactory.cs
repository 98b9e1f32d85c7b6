using System.Buffers;
using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// Builds a node event from the node's raw bytes: the bytes are copied as they came (the page
/// scan validated them) behind what the transformer needs, and parsed once into a document of the
/// event's own. One factory per driver; not thread-safe.
/// </summary>
internal sealed class NodeEventFactory(string datasourceName, string clusterName, KubernetesOptions options) : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private Utf8JsonWriter? _writer;

    public DatasourceEvent Create(ReadOnlySpan<byte> node, DatasourceAction action, DateTimeOffset sampleTime)
    {
        _buffer.ResetWrittenCount();
        var writer = _writer ??= new Utf8JsonWriter(_buffer);
        writer.Reset(_buffer);
        writer.WriteStartObject();
        writer.WriteString(KubernetesEventKeys.ClusterName, clusterName);
        writer.WriteBoolean(KubernetesEventKeys.IncludeAnnotations, options.IncludeAnnotations);
        writer.WriteBoolean(KubernetesEventKeys.InstanceIdFromSystemUuid, options.InstanceIdFromSystemUuid);
        writer.WritePropertyName(KubernetesEventKeys.Node);
        writer.WriteRawValue(node, skipInputValidation: true);
        writer.WriteEndObject();
        writer.Flush();

        // ParseValue copies the bytes into an exact-size document of the event's own.
        var reader = new Utf8JsonReader(_buffer.WrittenSpan);
        return new DatasourceEvent(KubernetesEntityTypes.Node, action, sampleTime, datasourceName, JsonElement.ParseValue(ref reader));
    }

    public void Dispose() => _writer?.Dispose();
}
