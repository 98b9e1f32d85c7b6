using System.Text.Json;
using Microsoft.Extensions.Logging;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// The cluster event of one connection: its name, server, context, node count, Kubernetes version
/// and what links the cluster to each node's cloud instance. A list ends with one; a watch sends
/// one after nodes came, went or changed their instance.
/// </summary>
internal sealed class ClusterEvents(DatasourceContext context, KubernetesApiClient api)
{
    private readonly KubernetesConnection _connection = api.Connection;

    /// <summary>The version <c>/version</c> gave last (the watch's cluster events reuse it).</summary>
    public string? LastVersion { get; private set; }

    // The version is a property, not a reason to fail: RBAC often allows nodes but not /version.
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
            context.Logger.LogWarning("Kubernetes version unknown: {Message}", e.Message);
            LastVersion = null;
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

        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return new DatasourceEvent(KubernetesEntityTypes.Cluster, action, sampleTime, context.Name, JsonElement.ParseValue(ref reader));
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
