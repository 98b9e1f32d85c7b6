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
    private readonly PageBuffer _pageBuffer;
    private readonly NodeEventFactory _events;

    public KubernetesDriver(DatasourceContext context, KubernetesOptions options, KubernetesConnection connection)
    {
        _context = context;
        _options = options;
        _connection = connection;
        _api = new KubernetesApiClient(connection, options.RequestTimeout);
        _pageBuffer = new PageBuffer(options.MaxPageBytes);
        _events = new NodeEventFactory(context.Name, connection.ClusterName, options);
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
                instanceIds.Clear();
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
                    var node = nodeEvent.Properties.GetProperty(KubernetesEventKeys.Node);
                    if (KubernetesNodeProperties.OpenStackInstanceId(node, _options.InstanceIdFromSystemUuid) is { } instanceId)
                    {
                        instanceIds.Add(instanceId);
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
        _events.Dispose();
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }
}
