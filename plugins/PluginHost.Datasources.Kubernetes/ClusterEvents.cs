using System.Text.Json;
using Microsoft.Extensions.Logging;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// The cluster event of one connection: its name, server, context, node count, Kubernetes version
/// and what links the cluster to each node's cloud instance. A list ends with one; a watch sends
/// one after nodes came, went or changed their instance.
/// </summary>
/// <remarks>
/// Each event carries the cluster's name as its entity id and a version (this instance's id and a
/// count) that stays the same while its bytes equal those of the last cluster event made here and
/// changes whenever they differ, so the host refreshes an unchanged cluster as it does an unchanged
/// node, instead of transforming it and applying its edge to every node's instance again on each
/// snapshot. A version never stands for two contents: the count only grows (bytes that come back
/// after a change get a new one), and the instance id keeps a recreated driver (a reload) from
/// reusing a version the graph holds. An edge of the cluster that something else deleted or took
/// over makes the host forget the version, so such an edge still comes back with the next event.
/// </remarks>
internal sealed class ClusterEvents(DatasourceContext context, KubernetesApiClient api)
{
    private readonly KubernetesConnection _connection = api.Connection;
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly Lock _versionLock = new();
    private byte[]? _lastContent;
    private long _contents;

    /// <summary>The version <c>/version</c> gave last (the watch's cluster events reuse it).</summary>
    public string? LastVersion { get; private set; }

    // The version is a property, not a reason to fail: RBAC often allows nodes but not /version.
    // A failed read keeps the version read before (a hostile test, stop 39: one 500 from /version
    // took kubernetes_version off the cluster vertex until the next snapshot, a graph that said
    // less after a fault than before it).
    public async Task<string?> ReadVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var document = await api.GetJsonAsync("version", cancellationToken).ConfigureAwait(false);
            LastVersion = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("gitVersion", out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()
                : null;
        }
        catch (DatasourceException e)
        {
            context.Logger.LogWarning("Kubernetes version unknown: {Message}{Kept}", e.Message,
                LastVersion is null ? string.Empty : $" (the cluster keeps {LastVersion}, read before)");
        }

        return LastVersion;
    }

    public DatasourceEvent Create(DatasourceAction action, DateTimeOffset sampleTime, int nodeCount, IReadOnlyCollection<NodeIdentity> identities, string? version)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024 + (identities.Count * 96));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(KubernetesEventKeys.Name, _connection.ClusterName);
            writer.WriteString(KubernetesEventKeys.Server, _connection.SafeServer);
            writer.WriteString(KubernetesEventKeys.Context, _connection.ContextName);
            writer.WriteNumber(KubernetesEventKeys.NodeCount, nodeCount);
            if (version is not null)
            {
                writer.WriteString(KubernetesEventKeys.KubernetesVersion, version);
            }

            writer.WriteStartArray(KubernetesEventKeys.NodeIdentities);
            foreach (var identity in identities)
            {
                writer.WriteStartObject();
                WriteOptional(writer, KubernetesEventKeys.ProviderId, identity.ProviderId);
                WriteOptional(writer, KubernetesEventKeys.ExternalId, identity.ExternalId);
                WriteOptional(writer, KubernetesEventKeys.SystemUuid, identity.SystemUuid);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var content = buffer.WrittenSpan.ToArray();
        return DatasourceEvent.FromUtf8(KubernetesEntityTypes.Cluster, action, sampleTime, context.Name, content) with
        {
            EntityId = _connection.ClusterName,
            EntityVersion = VersionOf(content),
        };
    }

    // A list's reader and a watch may both make cluster events: one count for both.
    private string VersionOf(byte[] content)
    {
        lock (_versionLock)
        {
            if (_lastContent is null || !content.AsSpan().SequenceEqual(_lastContent))
            {
                _lastContent = content;
                _contents++;
            }

            return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{_instance}-{_contents}");
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
