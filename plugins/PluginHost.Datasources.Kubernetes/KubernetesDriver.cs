using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>The <c>kubernetes</c> driver of one cluster: <c>get_all</c> is a paged list (<see cref="NodeSnapshot"/>).</summary>
internal sealed class KubernetesDriver : IDatasourceDriver
{
    private readonly KubernetesConnection _connection;
    private readonly NodeSnapshot _snapshot;

    public KubernetesDriver(DatasourceContext context, KubernetesOptions options, KubernetesConnection connection)
    {
        _connection = connection;
        var api = new KubernetesApiClient(connection, options.RequestTimeout);
        _snapshot = new NodeSnapshot(context, options, api, new ClusterEvents(context, api));
    }

    /// <summary>The snapshot page buffer's current size (tests check it shrinks back).</summary>
    internal int PageBufferBytes => _snapshot.PageBufferBytes;

    public IAsyncEnumerable<DatasourceEvent> GetAllAsync(DatasourceAction action, CancellationToken cancellationToken) =>
        _snapshot.ReadAsync(action, listed: null, cancellationToken);

    public ValueTask DisposeAsync()
    {
        _snapshot.Dispose();
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }
}
