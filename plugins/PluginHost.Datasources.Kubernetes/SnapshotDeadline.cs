using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// <c>snapshot_timeout</c> over one whole snapshot (a list's pages and <c>/version</c>, or a
/// WatchList's initial events): its firing becomes a clear failure, while the host's own
/// cancellation stays a cancellation.
/// </summary>
internal sealed class SnapshotDeadline : IDisposable
{
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationToken _stopping;
    private readonly string _server;
    private readonly TimeSpan _timeout;

    public SnapshotDeadline(TimeSpan timeout, TimeProvider time, string server, CancellationToken stopping)
    {
        _deadline = new CancellationTokenSource(timeout, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _deadline.Token);
        _stopping = stopping;
        _server = server;
        _timeout = timeout;
    }

    /// <summary>Whether the deadline fired (not the host's stop).</summary>
    public bool Expired => _deadline.IsCancellationRequested && !_stopping.IsCancellationRequested;

    /// <summary>Cancelled at the deadline or when the host stops.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>Runs <paramref name="work"/> with <see cref="Token"/>; the deadline firing throws a <see cref="DatasourceException"/>.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work)
    {
        try
        {
            return await work(Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_deadline.IsCancellationRequested && !_stopping.IsCancellationRequested)
        {
            throw new DatasourceException(
                $"the snapshot of {_server} did not complete within {_timeout.TotalSeconds:0} s ([kubernetes] snapshot_timeout); is the server paging for ever, or is the cluster larger than that allows?");
        }
    }

    public void Dispose()
    {
        _linked.Dispose();
        _deadline.Dispose();
    }
}
