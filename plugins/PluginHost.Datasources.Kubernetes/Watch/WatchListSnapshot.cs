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

        // As the read began (a read completed meanwhile may have begun later): see NodeSnapshot.
        var completedBefore = api.ListVersions.Completed;
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

            yield return _events.Create(e.Object.Span, header, action, sampleTime);
        }

        if (screen.Skipped > 0)
        {
            context.Logger.LogWarning("Kubernetes {Server}: {Skipped}", _connection.SafeServer, screen.Describe(read));
        }

        var version = await deadline.RunAsync(clusterEvents.ReadVersionAsync).ConfigureAwait(false);
        yield return clusterEvents.Create(action, sampleTime, listed.Nodes.Count, identities, version);

        // Its version comes with the end bookmark, after the nodes went out with theirs: one that went
        // back (an etcd restore) is not taken as complete, so the next list still applies every node in full.
        if (ListVersions.WentBack(listed.ResourceVersion, completedBefore))
        {
            context.Logger.LogWarning(
                "Kubernetes {Server}: the WatchList's resourceVersion {Version} is below the last complete read's {Completed} (etcd restored from a backup?); the next resync applies every node in full",
                _connection.SafeServer, listed.ResourceVersion, completedBefore);
        }
        else
        {
            api.ListVersions.Complete(listed.ResourceVersion);
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
