using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes.Watch;

/// <summary>
/// The complete read a watch goes on from, at start and after a 410: one WatchList stream where
/// the server serves it and <c>use_watch_list</c> allows (left open: the watch reads on from its
/// end bookmark), else a paged list. With <c>auto</c>, a server that refuses WatchList, or does
/// not deliver it as it should, is listed from then on; with <c>true</c> that is an error.
/// </summary>
internal sealed class CompleteRead(DatasourceContext context, KubernetesOptions options, KubernetesApiClient api, ClusterEvents clusterEvents, WatchCounters counters)
    : IAsyncDisposable
{
    private readonly NodeSnapshot _list = new(context, options, api, clusterEvents);
    private readonly WatchListSnapshot _watchList = new(context, options, api, clusterEvents);
    private WatchStream? _stream;
    private bool _watchListRefused;

    private bool UseWatchList => options.UseWatchList == "true" || (options.UseWatchList == "auto" && !_watchListRefused);

    private string Server => api.Connection.SafeServer;

    /// <summary>
    /// Reads every node into <paramref name="listed"/>, yielding their events and the cluster
    /// event; after a WatchList, <see cref="TakeStream"/> gives its open stream.
    /// </summary>
    public async IAsyncEnumerable<DatasourceEvent> ReadAsync(DatasourceAction action, ListedNodes listed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = UseWatchList ? await OpenWatchListAsync(cancellationToken).ConfigureAwait(false) : null;
        if (stream is null)
        {
            await foreach (var e in _list.ReadAsync(action, listed, cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }

            yield break;
        }

        var complete = false;
        try
        {
            await foreach (var e in ReadWatchListAsync(stream, action, listed, cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }

            complete = true;
        }
        finally
        {
            if (!complete)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (listed.RestoreSeenAtEnd)
        {
            // The WatchList's nodes went out with their versions before its end showed the restore: a
            // node re-written at the version the graph held was only refreshed, and kept its old
            // content. A paged list now applies every node in full (the restore is pending), and the
            // watch goes on from its version rather than from the WatchList's stream. A node the
            // WatchList reported that the list no longer has is deleted at the list's end: the watch,
            // going on from the list's version, never sees that deletion.
            await stream.DisposeAsync().ConfigureAwait(false);
            var readEarlier = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var node in listed.Nodes)
            {
                readEarlier[node.Uid] = node.Name;
            }

            listed.Nodes.Clear();
            listed.RestoreSeenAtEnd = false;
            await foreach (var e in _list.ReadAsync(action, listed, cancellationToken, readEarlier).ConfigureAwait(false))
            {
                yield return e;
            }

            yield break;
        }

        if (Interlocked.Exchange(ref _stream, stream) is { } unread)
        {
            await unread.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The stream of the last WatchList, open after its initial events; null after a list or once taken.</summary>
    public WatchStream? TakeStream() => Interlocked.Exchange(ref _stream, null);

    private async Task<WatchStream?> OpenWatchListAsync(CancellationToken cancellationToken)
    {
        try
        {
            counters.StreamOpened();
            return await _watchList.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (WatchListRefusedException e) when (options.UseWatchList == "auto")
        {
            _watchListRefused = true;
            context.Logger.LogInformation("{Server} does not serve WatchList ({Message}); listing instead ([kubernetes] use_watch_list = auto)", Server, e.Message);
            return null;
        }
        catch (WatchListRefusedException e)
        {
            throw new DatasourceException($"{e.Message}: the server does not serve WatchList, and [kubernetes] use_watch_list = true requires it; set it to auto or false", e);
        }
        catch (ListExpiredException e)
        {
            throw new DatasourceException(e.Message, e);
        }
    }

    private async IAsyncEnumerable<DatasourceEvent> ReadWatchListAsync(
        WatchStream stream, DatasourceAction action, ListedNodes listed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = _watchList.ReadAsync(stream, action, listed, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (events.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await events.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (WatchListIncompleteException e) when (options.UseWatchList == "auto")
                {
                    _watchListRefused = true;
                    throw new DatasourceException($"{e.Message}; reading with a list from the next attempt on ([kubernetes] use_watch_list = auto)", e);
                }
                catch (WatchListIncompleteException e)
                {
                    throw new DatasourceException($"{e.Message} ([kubernetes] use_watch_list = true)", e);
                }

                yield return events.Current;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (TakeStream() is { } unread)
        {
            await unread.DisposeAsync().ConfigureAwait(false);
        }

    }
}
