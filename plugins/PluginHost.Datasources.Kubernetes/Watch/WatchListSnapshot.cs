using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes.Watch;

/// <summary>
/// One complete read of the cluster by WatchList (<c>sendInitialEvents=true</c>, Kubernetes 1.34's
/// way to start a watch): a node event per initial ADDED, then, at the bookmark annotated
/// <c>k8s.io/initial-events-end</c>, the cluster event. The stream stays open: the watch goes on
/// reading it. Bounded like a list: <c>snapshot_timeout</c> over the initial events, the stream's
/// per-event bound and idle deadline, nodes no transformer can use skipped with one warning.
/// </summary>
internal sealed class WatchListSnapshot(DatasourceContext context, KubernetesOptions options, KubernetesApiClient api, ClusterEvents clusterEvents)
{
    private readonly KubernetesConnection _connection = api.Connection;
    private readonly NodeEventFactory _events = new(context.Name, api.Connection.ClusterName);

    /// <summary>Opens the stream; a server that does not serve WatchList throws <see cref="WatchListRefusedException"/>.</summary>
    public Task<WatchStream> OpenAsync(CancellationToken cancellationToken)
    {
        var (path, idle) = WatchRequests.WatchList();
        return WatchStream.OpenAsync(api, path, watchList: true, options.MaxPageBytes, idle, context.Time, cancellationToken);
    }

    /// <summary>
    /// Reads the initial events of <paramref name="stream"/> into <paramref name="listed"/> (its
    /// version is the end bookmark's). A stream that ends, hangs, sends anything but ADDED and
    /// bookmarks before the end bookmark, or has not sent it within <c>snapshot_timeout</c> throws
    /// <see cref="WatchListIncompleteException"/> (the server does not do WatchList as it should); a
    /// broken connection a <see cref="DatasourceException"/>.
    /// </summary>
    public async IAsyncEnumerable<DatasourceEvent> ReadAsync(
        WatchStream stream, DatasourceAction action, ListedNodes listed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sampleTime = context.Time.GetUtcNow();

        // As the read began (a read completed meanwhile may have begun later): see NodeSnapshot. With
        // a restore pending its nodes go out without their versions; one that this read's version
        // shows is known only at its end bookmark, after its nodes went out with theirs.
        var start = api.ListVersions.Begin();
        var inFull = start.PendingRestore;
        if (inFull is not null)
        {
            context.Logger.LogInformation(
                "Kubernetes {Server}: an etcd restore seen earlier is not applied in full yet; every node of this WatchList is", _connection.SafeServer);
        }

        using var deadline = new SnapshotDeadline(options.SnapshotTimeout, context.Time, _connection.SafeServer, cancellationToken);
        var screen = new NodeScreen();
        var identities = new List<NodeIdentity>();
        var read = 0;
        while (true)
        {
            var e = await ReadInitialAsync(stream, deadline, read).ConfigureAwait(false);
            if (e.Type == WatchEventType.Bookmark)
            {
                if (!e.InitialEventsEnd)
                {
                    continue;
                }

                listed.ResourceVersion = listed.LastResourceVersion = e.ResourceVersion;
                break;
            }

            if (e.Type != WatchEventType.Added)
            {
                throw new WatchListIncompleteException(
                    $"the WatchList stream of {_connection.SafeServer} sent {e.TypeName} among its initial events{(e.Type == WatchEventType.Error ? $": {e.Status.Code} {e.Status.Message}" : string.Empty)}");
            }

            read++;
            if (!screen.IsUtf8(e.Object.Span, 1, read - 1))
            {
                continue;
            }

            var header = NodeHeader.Read(e.Object.Span);
            if (!screen.HasNewUid(header, 1, read - 1))
            {
                continue;
            }

            var watched = WatchedNode.From(header)!;
            listed.Nodes.Add(watched);
            if (watched.Identity is { } identity)
            {
                identities.Add(identity);
            }

            var created = _events.Create(e.Object.Span, header, action, sampleTime);
            yield return inFull is null ? created : created with { EntityVersion = null };
        }

        if (screen.Skipped > 0)
        {
            context.Logger.LogWarning("Kubernetes {Server}: {Skipped}", _connection.SafeServer, screen.Describe(read));
        }

        var version = await deadline.RunAsync(clusterEvents.ReadVersionAsync).ConfigureAwait(false);
        yield return clusterEvents.Create(action, sampleTime, listed.Nodes.Count, identities, version);

        // Its version comes with the end bookmark, after the nodes went out with theirs: one that went
        // back (an etcd restore) is not taken as complete, and the restore is marked pending, so the
        // list that follows at once (CompleteRead), the watch's events and, should that list fail,
        // the next read apply every node in full.
        if (inFull is null && ListVersions.WentBack(listed.ResourceVersion, start.Completed))
        {
            api.ListVersions.RestoreSeen();
            listed.RestoreSeenAtEnd = true;
            context.Logger.LogWarning(
                "Kubernetes {Server}: the WatchList's resourceVersion {Version} is below the last complete read's {Completed} (etcd restored from a backup?); listing again at once, every node applied in full (as is every node watched until a read has done so)",
                _connection.SafeServer, listed.ResourceVersion, start.Completed);
        }
        else
        {
            api.ListVersions.Complete(listed.ResourceVersion, inFull);
        }
    }

    private async Task<WatchEvent> ReadInitialAsync(WatchStream stream, SnapshotDeadline deadline, int read)
    {
        try
        {
            return await deadline.RunAsync(async token => await stream.ReadAsync(token).ConfigureAwait(false)).ConfigureAwait(false)
                ?? throw new WatchListIncompleteException(
                    $"the WatchList stream of {_connection.SafeServer} ended after {read} nodes, before its initial-events-end bookmark");
        }
        catch (DatasourceException) when (deadline.Expired)
        {
            // A server that ignores sendInitialEvents (older than 1.27) streams the nodes, and bookmarks
            // that keep the stream from looking idle, but never the end bookmark: only the deadline ends it.
            throw new WatchListIncompleteException(
                $"the WatchList stream of {_connection.SafeServer} sent {read} nodes but no initial-events-end bookmark within {options.SnapshotTimeout.TotalSeconds:0} s ([kubernetes] snapshot_timeout)");
        }
        catch (IOException e)
        {
            // The network, not the server's WatchList: the next attempt tries WatchList again.
            throw new DatasourceException(
                $"the connection to {_connection.SafeServer} broke after {read} nodes of the WatchList stream: {KubernetesApiClient.Innermost(e)}", e);
        }
        catch (Exception e) when (e is WatchIdleException or WatchLineTooLongException or System.Text.Json.JsonException)
        {
            throw new WatchListIncompleteException(
                $"the WatchList stream of {_connection.SafeServer} failed after {read} nodes, before its initial-events-end bookmark: {KubernetesApiClient.Innermost(e)}");
        }
    }
}

/// <summary>A WatchList stream that did not deliver its initial events up to the end bookmark.</summary>
internal sealed class WatchListIncompleteException(string message) : Exception(message);
