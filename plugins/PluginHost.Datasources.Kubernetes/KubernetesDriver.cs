using System.Runtime.CompilerServices;
using PluginHost.Contracts;
using PluginHost.Datasources.Kubernetes.Watch;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// The <c>kubernetes</c> driver of one cluster. <c>get_all</c> is a paged list
/// (<see cref="NodeSnapshot"/>). With <c>update_method = push</c> the nodes are watched as well
/// (<see cref="NodeReflector"/>): the first snapshot is then the read the watch starts from
/// (WatchList where the server serves it), and the later ones are resyncs whose differences from
/// the watch are judged.
/// </summary>
internal sealed class KubernetesDriver : IDatasourceDriver, IChangesDriver, IDriverCounters, IDriverFiles
{
    private static readonly IReadOnlyDictionary<string, long> NoCounters = new Dictionary<string, long>();

    private readonly KubernetesConnection _connection;
    private readonly NodeSnapshot _snapshot;
    private readonly NodeReflector? _reflector;

    public KubernetesDriver(DatasourceContext context, KubernetesOptions options, KubernetesConnection connection)
    {
        _connection = connection;
        var api = new KubernetesApiClient(connection, options.RequestTimeout);
        var clusterEvents = new ClusterEvents(context, api);
        _snapshot = new NodeSnapshot(context, options, api, clusterEvents);
        _reflector = options.Push ? new NodeReflector(context, options, api, clusterEvents) : null;
    }

    /// <summary>The snapshot page buffer's current size (tests check it shrinks back).</summary>
    internal int PageBufferBytes => _snapshot.PageBufferBytes;

    /// <summary>The watch's totals; none without <c>update_method = push</c>.</summary>
    public IReadOnlyDictionary<string, long> Counters => _reflector?.Counters.Snapshot() ?? NoCounters;

    public IReadOnlyList<string> Files => _connection.Files;

    public IAsyncEnumerable<DatasourceEvent> GetAllAsync(DatasourceAction action, CancellationToken cancellationToken) => _reflector switch
    {
        null => _snapshot.ReadAsync(action, listed: null, cancellationToken),
        { IsSynced: false } reflector => reflector.SyncAsync(action, cancellationToken),
        { } reflector => ResyncAsync(reflector, action, cancellationToken),
    };

    /// <summary>With <c>update_method = push</c>, the watch; the host runs it beside the snapshots.</summary>
    public IAsyncEnumerable<DatasourceEvent> GetChangesAsync(CancellationToken cancellationToken) =>
        _reflector?.StreamAsync(cancellationToken) ?? NothingAsync();

    // A resync lists everything as before; what it finds is then held against the watch.
    private async IAsyncEnumerable<DatasourceEvent> ResyncAsync(
        NodeReflector reflector, DatasourceAction action, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var listed = new ListedNodes();
        await foreach (var e in _snapshot.ReadAsync(action, listed, cancellationToken).ConfigureAwait(false))
        {
            yield return e;
        }

        reflector.Audit(listed);
    }

    private static async IAsyncEnumerable<DatasourceEvent> NothingAsync()
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield break;
    }

    public async ValueTask DisposeAsync()
    {
        if (_reflector is not null)
        {
            await _reflector.DisposeAsync().ConfigureAwait(false);
        }

        _connection.Dispose();
    }
}
