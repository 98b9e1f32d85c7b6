using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// Lists every node page by page and yields one event per node as each page arrives, then one
/// cluster event. Holds one page of raw nodes at a time. A 410 on a continue token restarts the
/// list once; any other failure ends the enumeration with an exception, so the host deletes nothing.
/// </summary>
internal sealed class KubernetesDriver : IDatasourceDriver
{
    private readonly DatasourceContext _context;
    private readonly KubernetesOptions _options;
    private readonly KubernetesConnection _connection;
    private readonly KubernetesApiClient _api;

    // Reused for every page and node event: GetAllAsync never runs twice at once.
    private readonly PageBuffer _pageBuffer = new();
    private readonly NodeEventFactory _events;

    public KubernetesDriver(DatasourceContext context, KubernetesOptions options, KubernetesConnection connection)
    {
        _context = context;
        _options = options;
        _connection = connection;
        _api = new KubernetesApiClient(connection, options.RequestTimeout);
        _events = new NodeEventFactory(context.Name, connection.ClusterName);
    }

    public async IAsyncEnumerable<DatasourceEvent> GetAllAsync(
        DatasourceAction action, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sampleTime = _context.Time.GetUtcNow();
        var identities = new List<(string? ProviderId, string? ExternalId, string? SystemUuid)>();
        var nodeCount = 0;
        string? continueToken = null;
        var restarted = false;
        while (true)
        {
            NodeListPage page;
            try
            {
                page = await _api.GetNodeListPageAsync(NodeListPath(continueToken), _pageBuffer, cancellationToken).ConfigureAwait(false);
            }
            catch (ListExpiredException e) when (continueToken is not null && !restarted)
            {
                _context.Logger.LogWarning("Node list expired mid-way ({Message}); listing again from the start", e.Message);
                restarted = true;
                continueToken = null;
                identities.Clear();
                nodeCount = 0;
                continue;
            }
            catch (ListExpiredException e)
            {
                throw new DatasourceException(e.Message + "; the node list expired again after a restart", e);
            }

            {
                if (!page.HasItems)
                {
                    throw new DatasourceException(
                        $"GET /api/v1/nodes on {_connection.SafeServer} returned no 'items' array; is this a Kubernetes API server?");
                }

                for (var i = 0; i < page.Count; i++)
                {
                    var nodeEvent = _events.Create(page.Item(i), action, sampleTime);
                    // What the cluster transformer needs to link the cluster to each node's VM.
                    var identity = KubernetesNodeProperties.IdentityFields(nodeEvent.Properties.GetProperty(KubernetesEventKeys.Node));
                    if (identity.ProviderId is not null || identity.ExternalId is not null)
                    {
                        identities.Add(identity);
                    }

                    nodeCount++;
                    yield return nodeEvent;
                }

                continueToken = page.ContinueToken;
            }

            if (continueToken is null)
            {
                break;
            }
        }

        var version = await GetVersionAsync(cancellationToken).ConfigureAwait(false);
        yield return ClusterEvent(action, sampleTime, nodeCount, identities, version);
    }

    private string NodeListPath(string? continueToken) => continueToken is null
        ? $"api/v1/nodes?limit={_options.PageSize}"
        : $"api/v1/nodes?limit={_options.PageSize}&continue={Uri.EscapeDataString(continueToken)}";

    // The version is a property, not a reason to fail: RBAC often allows nodes but not /version.
    private async Task<string?> GetVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var document = await _api.GetJsonAsync("version", cancellationToken).ConfigureAwait(false);
            return document.RootElement.TryGetProperty("gitVersion", out var v) ? v.GetString() : null;
        }
        catch (DatasourceException e)
        {
            _context.Logger.LogWarning("Kubernetes version unknown: {Message}", e.Message);
            return null;
        }
    }

    private DatasourceEvent ClusterEvent(
        DatasourceAction action, DateTimeOffset sampleTime, int nodeCount, List<(string? ProviderId, string? ExternalId, string? SystemUuid)> identities, string? version)
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
            foreach (var (providerId, externalId, systemUuid) in identities)
            {
                writer.WriteStartObject();
                WriteOptional(writer, KubernetesEventKeys.ProviderId, providerId);
                WriteOptional(writer, KubernetesEventKeys.ExternalId, externalId);
                WriteOptional(writer, KubernetesEventKeys.SystemUuid, systemUuid);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return new DatasourceEvent(KubernetesEntityTypes.Cluster, action, sampleTime, _context.Name, JsonElement.ParseValue(ref reader));
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    public ValueTask DisposeAsync()
    {
        _events.Dispose();
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }
}
