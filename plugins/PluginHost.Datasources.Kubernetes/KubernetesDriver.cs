using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// Lists every node page by page and yields one event per node as each page arrives, then one
/// cluster event. Holds one page of raw nodes at a time, at most <c>max_page_bytes</c>. A 410 on
/// a continue token restarts the list once; paging that never ends, a snapshot over
/// <c>snapshot_timeout</c> or any other failure ends the enumeration with an exception, so the host
/// deletes nothing. Nodes no transformer can use are skipped, with one warning per snapshot.
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
        _events = new NodeEventFactory(context.Name, connection.ClusterName);
    }

    /// <summary>The page buffer's current size (tests check it shrinks back).</summary>
    internal int PageBufferBytes => _pageBuffer.Bytes.Length;

    public async IAsyncEnumerable<DatasourceEvent> GetAllAsync(
        DatasourceAction action, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sampleTime = _context.Time.GetUtcNow();
        using var deadline = new CancellationTokenSource(_options.SnapshotTimeout, _context.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var snapshot = new Snapshot(this, deadline, cancellationToken);
        var identities = new List<(string? ProviderId, string? ExternalId, string? SystemUuid)>();
        var nodeCount = 0;
        var listed = 0;
        var screen = new NodeScreen();
        var paging = new PagingGuard(_options.PageSize, _connection.SafeServer);
        string? continueToken = null;
        var restarted = false;
        try
        {
            while (true)
            {
                NodeListPage page;
                try
                {
                    page = await snapshot.WithinDeadlineAsync(token => _api.GetNodeListPageAsync(NodeListPath(continueToken), _pageBuffer, token), linked.Token)
                        .ConfigureAwait(false);
                }
                catch (ListExpiredException e) when (continueToken is not null && !restarted)
                {
                    _context.Logger.LogWarning("Node list expired mid-way ({Message}); listing again from the start", e.Message);
                    restarted = true;
                    continueToken = null;
                    identities.Clear();
                    nodeCount = listed = 0;
                    screen.Reset();
                    paging.Reset();
                    continue;
                }
                catch (ListExpiredException e)
                {
                    throw new DatasourceException(e.Message + "; the node list expired again after a restart", e);
                }

                if (!page.HasItems)
                {
                    throw new DatasourceException(
                        $"GET /api/v1/nodes on {_connection.SafeServer} returned no 'items' array; is this a Kubernetes API server?");
                }

                paging.OnPage(page.Count, page.ContinueToken, page.RemainingItemCount);
                for (var i = 0; i < page.Count; i++)
                {
                    listed++;
                    if (!screen.IsUtf8(page.Item(i), paging.Pages, i))
                    {
                        continue;
                    }

                    var nodeEvent = _events.Create(page.Item(i), action, sampleTime);
                    var node = nodeEvent.Properties.GetProperty(KubernetesEventKeys.Node);
                    if (!screen.HasNewUid(node, paging.Pages, i))
                    {
                        continue;
                    }

                    // What the cluster transformer needs to link the cluster to each node's VM.
                    var identity = KubernetesNodeProperties.IdentityFields(node);
                    if (identity.ProviderId is not null || identity.ExternalId is not null)
                    {
                        identities.Add(identity);
                    }

                    nodeCount++;
                    yield return nodeEvent;
                }

                continueToken = page.ContinueToken;
                if (continueToken is null)
                {
                    break;
                }
            }

            if (screen.Skipped > 0)
            {
                _context.Logger.LogWarning("Kubernetes {Server}: {Skipped}", _connection.SafeServer, screen.Describe(listed));
            }

            var version = await snapshot.WithinDeadlineAsync(GetVersionAsync, linked.Token).ConfigureAwait(false);
            yield return ClusterEvent(action, sampleTime, nodeCount, identities, version);
        }
        finally
        {
            _pageBuffer.Trim(); // an odd page's buffer is not kept until the next snapshot
        }
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
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("gitVersion", out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()
                : null;
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

    /// <summary>Turns the snapshot deadline firing into a clear failure (the host's own cancellation stays a cancellation).</summary>
    private sealed class Snapshot(KubernetesDriver driver, CancellationTokenSource deadline, CancellationToken stopping)
    {
        public async Task<T> WithinDeadlineAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken token)
        {
            try
            {
                return await work(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
                throw new DatasourceException(
                    $"the snapshot of {driver._connection.SafeServer} did not complete within {driver._options.SnapshotTimeout.TotalSeconds:0} s ([kubernetes] snapshot_timeout); is the server paging for ever, or is the cluster larger than that allows?");
            }
        }
    }
}
