using System.Buffers;
using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// Builds a node event from the node's raw bytes: <c>{"cluster_name": …, "node": &lt;the node as
/// it came&gt;}</c> in an exact-size array of the event's own (the caller's reader validated the
/// node), parsed only if a transformer reads it (<see cref="DatasourceEvent.FromUtf8"/>). The
/// node's uid and resourceVersion (its <see cref="NodeHeader"/>) become the event's entity id and
/// version, so the host skips the transform — and the parse — of a node that did not change. A
/// watched change also carries the watch event's type, so the transformer deletes the node of a
/// DELETED one. One factory per reader (a snapshot, a watch); not thread-safe.
/// </summary>
internal sealed class NodeEventFactory(string datasourceName, string clusterName)
{
    private static readonly byte[] Suffix = "}"u8.ToArray();

    // The bytes before the node, by watch event type ("" for a listed node): a handful at most.
    private readonly Dictionary<string, byte[]> _prefixes = new(StringComparer.Ordinal);

    /// <param name="node">The node's raw JSON (validated by the caller's reader).</param>
    /// <param name="header">What the caller's reader read of it.</param>
    /// <param name="action">Why it was read.</param>
    /// <param name="sampleTime">When.</param>
    /// <param name="watchEventType">For a watched change, <c>ADDED</c>, <c>MODIFIED</c> or <c>DELETED</c>.</param>
    public DatasourceEvent Create(ReadOnlySpan<byte> node, NodeHeader header, DatasourceAction action, DateTimeOffset sampleTime, string? watchEventType = null)
    {
        var prefix = Prefix(watchEventType ?? string.Empty);
        var properties = new byte[prefix.Length + node.Length + Suffix.Length];
        prefix.CopyTo(properties, 0);
        node.CopyTo(properties.AsSpan(prefix.Length));
        Suffix.CopyTo(properties, prefix.Length + node.Length);
        return DatasourceEvent.FromUtf8(KubernetesEntityTypes.Node, action, sampleTime, datasourceName, properties) with
        {
            EntityId = header.Uid,

            // A deletion is never "unchanged": the host must transform it to delete the vertex.
            EntityVersion = header.Uid is null || watchEventType == KubernetesEventKeys.Deleted ? null : header.ResourceVersion,
        };
    }

    private byte[] Prefix(string watchEventType)
    {
        if (!_prefixes.TryGetValue(watchEventType, out var prefix))
        {
            var buffer = new ArrayBufferWriter<byte>(128);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString(KubernetesEventKeys.ClusterName, clusterName);
                if (watchEventType.Length > 0)
                {
                    writer.WriteString(KubernetesEventKeys.WatchEventType, watchEventType);
                }

                // Written with the node's value to follow: the writer ends the name with its colon.
                writer.WritePropertyName(KubernetesEventKeys.Node);
                writer.Flush();
            }

            prefix = buffer.WrittenSpan.ToArray();
            _prefixes[watchEventType] = prefix;
        }

        return prefix;
    }
}
