using System.Buffers;
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

    public KubernetesDriver(DatasourceContext context, KubernetesOptions options, KubernetesConnection connection)
    {
        _context = context;
        _options = options;
        _connection = connection;
        _api = new KubernetesApiClient(connection, options.RequestTimeout);
    }

    public async IAsyncEnumerable<DatasourceEvent> GetAllAsync(
        DatasourceAction action, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sampleTime = _context.Time.GetUtcNow();
        var instanceIds = new List<string>();
        var nodeCount = 0;
        string? continueToken = null;
        var restarted = false;
        while (true)
        {
            JsonDocument page;
            try
            {
                page = await _api.GetJsonAsync(NodeListPath(continueToken), cancellationToken).ConfigureAwait(false);
            }
            catch (ListExpiredException e) when (continueToken is not null && !restarted)
            {
                _context.Logger.LogWarning("Node list expired mid-way ({Message}); listing again from the start", e.Message);
                restarted = true;
                continueToken = null;
                instanceIds.Clear();
                nodeCount = 0;
                continue;
            }
            catch (ListExpiredException e)
            {
                throw new DatasourceException(e.Message + "; the node list expired again after a restart", e);
            }

            using (page)
            {
                var root = page.RootElement;
                if (!root.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
                {
                    throw new DatasourceException(
                        $"GET /api/v1/nodes on {_connection.SafeServer} returned no 'items' array; is this a Kubernetes API server?");
                }

                foreach (var node in items.EnumerateArray())
                {
                    var nodeEvent = NodeEvent(node, action, sampleTime);
                    if (KubernetesNodeProperties.OpenStackInstanceId(node, _options.InstanceIdFromSystemUuid) is { } instanceId)
                    {
                        instanceIds.Add(instanceId);
                    }

                    nodeCount++;
                    yield return nodeEvent;
                }

                continueToken = root.TryGetProperty("metadata", out var metadata)
                    && metadata.TryGetProperty("continue", out var next) && next.GetString() is { Length: > 0 } token
                    ? token
                    : null;
            }

            if (continueToken is null)
            {
                break;
            }
        }

        var version = await GetVersionAsync(cancellationToken).ConfigureAwait(false);
        yield return ClusterEvent(action, sampleTime, nodeCount, instanceIds, version);
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

    private DatasourceEvent NodeEvent(JsonElement node, DatasourceAction action, DateTimeOffset sampleTime)
    {
        var buffer = new ArrayBufferWriter<byte>(8 * 1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(KubernetesEventKeys.ClusterName, _connection.ClusterName);
            writer.WriteBoolean(KubernetesEventKeys.IncludeAnnotations, _options.IncludeAnnotations);
            writer.WriteBoolean(KubernetesEventKeys.InstanceIdFromSystemUuid, _options.InstanceIdFromSystemUuid);
            writer.WritePropertyName(KubernetesEventKeys.Node);
            node.WriteTo(writer);
            writer.WriteEndObject();
        }

        return new DatasourceEvent(KubernetesEntityTypes.Node, action, sampleTime, _context.Name,
            JsonSerializer.Deserialize<JsonElement>(buffer.WrittenSpan));
    }

    private DatasourceEvent ClusterEvent(
        DatasourceAction action, DateTimeOffset sampleTime, int nodeCount, List<string> instanceIds, string? version)
    {
        var properties = new Dictionary<string, object?>
        {
            [KubernetesEventKeys.Name] = _connection.ClusterName,
            [KubernetesEventKeys.Server] = _connection.SafeServer,
            [KubernetesEventKeys.Context] = _connection.ContextName,
            [KubernetesEventKeys.NodeCount] = nodeCount,
            [KubernetesEventKeys.InstanceIds] = instanceIds,
        };
        if (version is not null)
        {
            properties[KubernetesEventKeys.KubernetesVersion] = version;
        }

        return new DatasourceEvent(KubernetesEntityTypes.Cluster, action, sampleTime, _context.Name,
            JsonSerializer.SerializeToElement(properties));
    }

    public ValueTask DisposeAsync()
    {
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }
}
