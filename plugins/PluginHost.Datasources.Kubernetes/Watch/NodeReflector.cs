using System.Runtime.CompilerServices;
using System.Text.Unicode;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes.Watch;

/// <summary>
/// <c>update_method = push</c>: client-go's reflector on the plugin's own HTTP client. The host's
/// first snapshot is the complete read the watch starts from (one WatchList stream where the server
/// serves it, else a paged list); then a watch from that version with bookmarks. A node change
/// becomes an update event through the same transformer, a deletion deletes the node at once, a
/// bookmark moves the version on. A stream that ends (timeoutSeconds, the server, a broken
/// connection, the idle deadline) is watched again from the last version at once; a 410 (the
/// version is too old) or a 504 "Too large resource version" (above the server's, after an etcd
/// restore) is answered by a relist, which is a complete snapshot read inside the
/// stream; a failing server (refused, 429, 5xx, anything else) by <see cref="WatchBackoff"/>, then
/// a watch again, without a relist. After a node came or went, the cluster event follows; after
/// the host's resync (<c>snapshots_interval</c>), what it found that the watch had missed is logged
/// once and counted.
/// </summary>
internal sealed class NodeReflector : IAsyncDisposable
{
    // Events waiting for the host's queue: enough for a burst, bounded so a slow graph holds the stream back.
    private const int OutputCapacity = 256;

    // A stream that ends this soon with nothing in it is a failure, not a normal end (client-go's "very short watch").
    private static readonly TimeSpan VeryShortWatch = TimeSpan.FromSeconds(1);

    // An earlier resync's audit the watch has not got through after this long is judged at the next
    // resync (a watch this far behind its server is as good as stuck; a younger one waits for a later
    // resync and is never replaced by the newer audit, or resyncs every 30 s or less would judge none).
    private static readonly TimeSpan OverdueAudit = TimeSpan.FromSeconds(30);

    // The cluster event waits for a burst of watched changes to pass, but never longer than this.
    private static readonly TimeSpan ClusterEventDelay = TimeSpan.FromSeconds(1);

    private readonly DatasourceContext _context;
    private readonly KubernetesOptions _options;
    private readonly ClusterEvents _clusterEvents;
    private readonly KubernetesApiClient _api;
    private readonly CompleteRead _read;
    private readonly NodeEventFactory _events;
    private readonly WatchedNodes _nodes = new();
    private readonly WatchBackoff _backoff;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _resourceVersion;
    private WatchStream? _handover;
    private bool _relistNeeded;
    private int _watchesSinceRead; // watch requests since the last complete read: all but the first are reconnects
    private DateTimeOffset? _clusterChangedSince;

    public NodeReflector(DatasourceContext context, KubernetesOptions options, KubernetesApiClient api, ClusterEvents clusterEvents)
    {
        _context = context;
        _options = options;
        _api = api;
        _clusterEvents = clusterEvents;
        _read = new CompleteRead(context, options, api, clusterEvents, Counters);
        _events = new NodeEventFactory(context.Name, api.Connection.ClusterName);
        _backoff = new WatchBackoff(context.Time);
    }

    public WatchCounters Counters { get; } = new();

    /// <summary>Whether a complete read gave the watch its start (until then the host's snapshots are that read).</summary>
    public bool IsSynced => _synced.Task.IsCompleted;

    private string Server => _api.Connection.SafeServer;

    private ILogger Logger => _context.Logger;

    /// <summary>The host's first snapshot in push mode: the complete read the watch starts from.</summary>
    public async IAsyncEnumerable<DatasourceEvent> SyncAsync(DatasourceAction action, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in ReadCompleteAsync(action, cancellationToken).ConfigureAwait(false))
        {
            yield return e;
        }

        _synced.TrySetResult();
    }

    /// <summary>After a complete resync list of the host: judges what it found against the watch.</summary>
    public void Audit(ListedNodes listed)
    {
        if (_nodes.StartAudit(listed, _context.Time.GetUtcNow(), OverdueAudit) is { Findings.Count: > 0 } overdue)
        {
            // A watch that never got as far as the earlier resync's list (silent, stuck): what it
            // still disagrees on now was missed, and the watch's own hang detection may be minutes away.
            Report(overdue.Findings, stuckBefore: overdue.Through);
        }

        ReportFindings(); // at once when the watch is already past the list; else when it gets there
    }

    /// <summary>The watch, until <paramref name="cancellationToken"/>; the host reads it as the push stream.</summary>
    public async IAsyncEnumerable<DatasourceEvent> StreamAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<DatasourceEvent>(new BoundedChannelOptions(OutputCapacity) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ProduceAsync(channel.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
    }

    private async Task ProduceAsync(ChannelWriter<DatasourceEvent> output, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            await WatchAsync(output, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the host stops
        }
#pragma warning disable CA1031 // a bug here reaches the host through the stream, which logs it and opens the stream again
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = e;
        }
        finally
        {
            output.TryComplete(failure);
        }
    }

    private async Task WatchAsync(ChannelWriter<DatasourceEvent> output, CancellationToken cancellationToken)
    {
        await _synced.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (_relistNeeded)
                {
                    await RelistAsync(output, cancellationToken).ConfigureAwait(false);
                }

                var handover = Interlocked.Exchange(ref _handover, null);
                if (handover is null && _watchesSinceRead > 0)
                {
                    Counters.Reconnected();
                }

                _watchesSinceRead++;
                var stream = handover ?? await OpenWatchAsync(cancellationToken).ConfigureAwait(false);
                WatchEnd end;
                await using (stream.ConfigureAwait(false))
                {
                    end = await ConsumeAsync(stream, output, cancellationToken).ConfigureAwait(false);
                }

                if (end == WatchEnd.Expired)
                {
                    _relistNeeded = true;
                }
                else if (stream.Received == 0 && _context.Time.GetUtcNow() - stream.OpenedAt < VeryShortWatch)
                {
                    throw new DatasourceException($"the watch of {Server} ended at once, without an event or a bookmark");
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (ListExpiredException e)
            {
                Logger.LogInformation("The watch of {Server} cannot go on from resourceVersion {ResourceVersion} ({Message}): listing again",
                    Server, _resourceVersion, e.Message);
                _relistNeeded = true;
            }
#pragma warning disable CA1031 // any failure is logged and tried again after the backoff, as client-go does
            catch (Exception e)
#pragma warning restore CA1031
            {
                Counters.BackedOff();
                var delay = _backoff.Next();
                Logger.LogWarning("{What} of {Server} failed: {Message}; trying again in {Delay:0.0} s",
                    _relistNeeded ? "The relist" : $"The watch from resourceVersion {_resourceVersion}", Server, Describe(e), delay.TotalSeconds);
                await Task.Delay(delay, _context.Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private Task<WatchStream> OpenWatchAsync(CancellationToken cancellationToken)
    {
        var (path, idle) = WatchRequests.From(_resourceVersion ?? string.Empty);
        Counters.StreamOpened();
        return WatchStream.OpenAsync(_api, path, watchList: false, _options.MaxPageBytes, idle, _context.Time, cancellationToken);
    }

    private async Task<WatchEnd> ConsumeAsync(WatchStream stream, ChannelWriter<DatasourceEvent> output, CancellationToken cancellationToken)
    {
        while (true)
        {
            WatchEvent? e;
            try
            {
                e = await stream.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException broken)
            {
                Logger.LogInformation("The watch stream of {Server} broke ({Message}); watching again from resourceVersion {ResourceVersion}",
                    Server, KubernetesApiClient.Innermost(broken), _resourceVersion);
                return WatchEnd.Closed;
            }
            catch (WatchIdleException idle)
            {
                Logger.LogWarning("The watch stream of {Server} is taken as hung: {Message}; watching again from resourceVersion {ResourceVersion}",
                    Server, idle.Message, _resourceVersion);
                return WatchEnd.Closed;
            }

            if (e is null)
            {
                return WatchEnd.Closed; // timeoutSeconds, or the server's own end: watch again from here
            }

            Counters.EventReceived(e.Type);
            switch (e.Type)
            {
                case WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted:
                    await ApplyAsync(e, output, cancellationToken).ConfigureAwait(false);
                    break;
                case WatchEventType.Bookmark:
                    _resourceVersion = e.ResourceVersion ?? _resourceVersion;
                    _nodes.Advance(e.ResourceVersion);
                    break;
                case WatchEventType.Error when e.IsExpired:
                    Logger.LogInformation("The watch of {Server} expired ({Code} {Message}): listing again", Server, e.Status.Code, e.Status.Message);
                    return WatchEnd.Expired;
                case WatchEventType.Error when e.IsTooLargeResourceVersion:
                    // The server is behind a version it once gave: etcd restored from a backup (or an API
                    // server far behind the others). The relist's own version may no longer show it (the
                    // cluster's soon passes the old one again), so the restore is marked now: the relist
                    // applies every node in full, and a node re-written at a version the graph holds is read.
                    _api.ListVersions.RestoreSeen();
                    Logger.LogWarning("The watch of {Server} cannot go on from resourceVersion {ResourceVersion}, which the server has not reached ({Code} {Message}; etcd restored from a backup?): listing again, every node applied in full",
                        Server, _resourceVersion, e.Status.Code, e.Status.Message);
                    return WatchEnd.Expired;
                case WatchEventType.Error:
                    throw new DatasourceException($"the watch of {Server} sent an error: {e.Status.Code} {e.Status.Reason}: {e.Status.Message}");
            }

            ReportFindings();
            await SendClusterChangeAsync(stream, output, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ApplyAsync(WatchEvent e, ChannelWriter<DatasourceEvent> output, CancellationToken cancellationToken)
    {
        if (!Utf8.IsValid(e.Object.Span))
        {
            Logger.LogWarning("Kubernetes {Server}: skipped a watched {Type} of a node that is not valid UTF-8 JSON", Server, e.TypeName);
            return;
        }

        var header = NodeHeader.Read(e.Object.Span);
        if (WatchedNode.From(header) is not { } node)
        {
            Logger.LogWarning("Kubernetes {Server}: skipped a watched {Type} of a node without metadata.uid", Server, e.TypeName);
            return;
        }

        if (e.Type == WatchEventType.Deleted)
        {
            _nodes.Remove(node);
        }
        else
        {
            _nodes.Put(node);
        }

        _resourceVersion = node.ResourceVersion.Length > 0 ? node.ResourceVersion : _resourceVersion;
        // While an etcd restore is not applied in full, a node may be re-written at the very version
        // the graph holds from before it: the event goes without its version, so it is not merely refreshed.
        var created = _events.Create(e.Object.Span, header, DatasourceAction.Update, _context.Time.GetUtcNow(), e.TypeName);
        await output.WriteAsync(_api.ListVersions.RestorePending ? created with { EntityVersion = null } : created, cancellationToken)
            .ConfigureAwait(false);
    }

    // Nodes came, went or changed their instance: the cluster event says so once a burst passed.
    private async Task SendClusterChangeAsync(WatchStream stream, ChannelWriter<DatasourceEvent> output, CancellationToken cancellationToken)
    {
        var now = _context.Time.GetUtcNow();
        if (stream.HasBufferedEvent && (_clusterChangedSince is not { } since || now - since < ClusterEventDelay))
        {
            _clusterChangedSince ??= now;
            return;
        }

        _clusterChangedSince = null;
        if (_nodes.TakeClusterChange() is { } change)
        {
            await output.WriteAsync(_clusterEvents.Create(DatasourceAction.Update, now, change.Count, change.Identities, _clusterEvents.LastVersion), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private void ReportFindings()
    {
        if (_nodes.TakeFindings() is { Count: > 0 } findings)
        {
            Report(findings, stuckBefore: null);
        }
    }

    private void Report(ResyncFindings findings, ulong? stuckBefore)
    {
        Counters.ResyncFound(findings.Count);
        var stuck = stuckBefore is { } through
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $". The watch has not got as far as that resync's list (resourceVersion {through}) by this one: it may be stuck")
            : string.Empty;
        Logger.LogWarning("The resync of {Server} found {Count} differences the watch had missed: {Findings}; the resync put them right in the graph{Stuck}",
            Server, findings.Count, findings, stuck);
    }

    // A relist after the watch's version expired: a complete snapshot read inside the stream.
    private async Task RelistAsync(ChannelWriter<DatasourceEvent> output, CancellationToken cancellationToken)
    {
        var started = _context.Time.GetUtcNow();
        await foreach (var e in ReadCompleteAsync(DatasourceAction.Snapshot, cancellationToken).ConfigureAwait(false))
        {
            await output.WriteAsync(e, cancellationToken).ConfigureAwait(false);
        }

        // Counted before its end goes out: whoever sees the relist in the graph then finds it in the
        // counters too (counted after, a test saw the graph converge with watch_relists still 0).
        Counters.Relisted();
        await output.WriteAsync(DatasourceEvent.EndOfSnapshot(_context.Name, started), cancellationToken).ConfigureAwait(false);
        _relistNeeded = false;
        Logger.LogInformation("Relisted {Count} nodes of {Server} (a complete snapshot); watching from resourceVersion {ResourceVersion}",
            _nodes.Count, Server, _resourceVersion);
    }

    // A complete read the watch goes on from (CompleteRead): its nodes and version become the watch's.
    private async IAsyncEnumerable<DatasourceEvent> ReadCompleteAsync(DatasourceAction action, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var listed = new ListedNodes();
        await foreach (var e in _read.ReadAsync(action, listed, cancellationToken).ConfigureAwait(false))
        {
            yield return e;
        }

        _nodes.Replace(listed);
        _resourceVersion = listed.ResourceVersion;
        _watchesSinceRead = 0;
        _clusterChangedSince = null;
        if (Interlocked.Exchange(ref _handover, _read.TakeStream()) is { } unread)
        {
            await unread.DisposeAsync().ConfigureAwait(false);
        }
    }

    private string Describe(Exception e) => e switch
    {
        DatasourceException => e.Message,
        _ => $"the watch stream of {Server}: {KubernetesApiClient.Innermost(e)}",
    };

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _handover, null) is { } unread)
        {
            await unread.DisposeAsync().ConfigureAwait(false);
        }

        await _read.DisposeAsync().ConfigureAwait(false);
    }

    private enum WatchEnd
    {
        Closed,
        Expired,
    }
}
