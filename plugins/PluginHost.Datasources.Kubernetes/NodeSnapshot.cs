using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// One complete read of the cluster by paged list: every node page by page, each yielded as its
/// page arrives, then one cluster event. Holds one page of raw nodes at a time, at most
/// <c>max_page_bytes</c>. A 410 on a continue token restarts the list once (a node yielded before
/// it that the restarted list lacks is then deleted, so the snapshot is the restarted list's, stamped
/// when the restarted list began); paging that never
/// ends, a snapshot over <c>snapshot_timeout</c> or any other failure ends the enumeration with an
/// exception, so the host deletes nothing. Nodes no transformer can use are skipped, with one
/// warning per snapshot. One list at a time per instance (its page buffer and event factory are
/// reused); a driver has one for its snapshots and, in push mode, one for its watch's relists.
/// </summary>
internal sealed class NodeSnapshot(DatasourceContext context, KubernetesOptions options, KubernetesApiClient api, ClusterEvents clusterEvents)
{
    private readonly KubernetesConnection _connection = api.Connection;
    private readonly PageBuffer _pageBuffer = new(options.MaxPageBytes);
    private readonly NodeEventFactory _events = new(context.Name, api.Connection.ClusterName);

    /// <summary>The page buffer's current size (tests check it shrinks back, and is none before a list).</summary>
    public int PageBufferBytes => _pageBuffer.HeldBytes;

    /// <param name="action">What the events say they are.</param>
    /// <param name="listed">When set, receives every node kept and the list's versions (a watch continues from them).</param>
    /// <param name="cancellationToken">The host's.</param>
    /// <param name="readEarlier">
    /// The nodes (uid → name) this snapshot already reported before the list (a WatchList whose end
    /// showed an etcd restore): those the list does not have are deleted at its end, as after a 410 restart.
    /// </param>
    public async IAsyncEnumerable<DatasourceEvent> ReadAsync(
        DatasourceAction action, ListedNodes? listed, [EnumeratorCancellation] CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? readEarlier = null)
    {
        var sampleTime = context.Time.GetUtcNow();
        using var deadline = new SnapshotDeadline(options.SnapshotTimeout, context.Time, _connection.SafeServer, cancellationToken);
        var identities = new List<NodeIdentity>();
        var nodeCount = 0;
        var read = 0;
        var screen = new NodeScreen();
        var paging = new PagingGuard(options.PageSize, _connection.SafeServer);
        string? continueToken = null;
        var restarted = false;

        // The nodes already yielded when a 410 restarted the list (uid → name): those the restarted
        // list no longer has are deleted at its end, or the snapshot would keep them alive.
        IReadOnlyDictionary<string, string>? beforeRestart = readEarlier;

        // The list's version, and the etcd restore this read applies in full, if one is pending or
        // its version went back behind the last complete read's: then no node of this read carries
        // its version, so none is merely refreshed.
        string? listVersion = null;
        int? inFull = null;

        // What the list (or its restart) is judged against as it began: a read completed meanwhile
        // (the watch's relist beside this resync) may have begun after it, at a later version.
        var start = default(ReadStart);
        try
        {
            while (true)
            {
                if (continueToken is null)
                {
                    start = api.ListVersions.Begin();
                }

                NodeListPage page;
                try
                {
                    page = await deadline.RunAsync(token => api.GetNodeListPageAsync(NodeListPath(continueToken), _pageBuffer, token)).ConfigureAwait(false);
                }
                catch (ListExpiredException e) when (continueToken is not null && !restarted)
                {
                    context.Logger.LogWarning("Node list expired mid-way ({Message}); listing again from the start", e.Message);
                    restarted = true;

                    // The restarted list reads the cluster as it is now: stamped with the first list's start,
                    // a change watched meanwhile (stamped later) would win over its newer reading until the
                    // next resync (an older sample never overwrites a newer one).
                    sampleTime = context.Time.GetUtcNow();
                    continueToken = null;
                    identities.Clear();
                    listed?.Nodes.Clear();
                    nodeCount = read = 0;
                    beforeRestart = WithEarlier(screen.Restart(), readEarlier);
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

                if (continueToken is null)
                {
                    listVersion = page.ResourceVersion;
                    // A restart after a 410 keeps what the list decided: its nodes went out so already.
                    if (inFull is null && start.PendingRestore is { } pending)
                    {
                        inFull = pending;
                        context.Logger.LogInformation(
                            "Kubernetes {Server}: an etcd restore seen earlier is not applied in full yet; every node of this snapshot is",
                            _connection.SafeServer);
                    }
                    else if (inFull is null && ListVersions.WentBack(listVersion, start.Completed))
                    {
                        inFull = api.ListVersions.RestoreSeen();
                        context.Logger.LogWarning(
                            "Kubernetes {Server}: the node list's resourceVersion {Version} is below the last complete read's {Completed} (etcd restored from a backup?); every node of this snapshot is applied in full",
                            _connection.SafeServer, listVersion, start.Completed);
                    }
                }

                if (listed is not null)
                {
                    listed.ResourceVersion = continueToken is null ? page.ResourceVersion : listed.ResourceVersion;
                    listed.LastResourceVersion = page.ResourceVersion;
                }

                paging.OnPage(page.Count, page.ContinueToken, page.RemainingItemCount);
                for (var i = 0; i < page.Count; i++)
                {
                    read++;
                    if (!screen.IsUtf8(page.Item(i), paging.Pages, i))
                    {
                        continue;
                    }

                    var header = page.Header(i);
                    if (!screen.HasNewUid(header, paging.Pages, i))
                    {
                        continue;
                    }

                    // What the cluster transformer needs to link the cluster to each node's VM.
                    if (listed is not null)
                    {
                        var watched = WatchedNode.From(header)!;
                        listed.Nodes.Add(watched);
                        AddIdentity(identities, watched.Identity);
                    }
                    else
                    {
                        AddIdentity(identities, NodeIdentity.From(header));
                    }

                    nodeCount++;
                    var e = _events.Create(page.Item(i), header, action, sampleTime);
                    yield return inFull is null ? e : e with { EntityVersion = null };
                }

                continueToken = page.ContinueToken;
                if (continueToken is null)
                {
                    break;
                }
            }

            if (screen.Skipped > 0)
            {
                context.Logger.LogWarning("Kubernetes {Server}: {Skipped}", _connection.SafeServer, screen.Describe(read));
            }

            if (beforeRestart is not null)
            {
                foreach (var e in DeletionsOfNodesReadEarlier(beforeRestart, screen, action, sampleTime))
                {
                    yield return e;
                }
            }

            var version = await deadline.RunAsync(clusterEvents.ReadVersionAsync).ConfigureAwait(false);
            yield return clusterEvents.Create(action, sampleTime, nodeCount, identities, version);
            api.ListVersions.Complete(listVersion, inFull); // reached once the host took every event: the read is complete
        }
        finally
        {
            _pageBuffer.Trim(); // an odd page's buffer is not kept until the next snapshot
        }
    }

    private static IReadOnlyDictionary<string, string> WithEarlier(IReadOnlyDictionary<string, string> beforeRestart, IReadOnlyDictionary<string, string>? readEarlier)
    {
        if (readEarlier is null)
        {
            return beforeRestart;
        }

        var all = new Dictionary<string, string>(readEarlier, StringComparer.Ordinal);
        foreach (var (uid, name) in beforeRestart)
        {
            all[uid] = name;
        }

        return all;
    }

    // A node the snapshot already reported before the 410 (or before the list) and the list does not
    // have was deleted meanwhile: its vertex (sampled by this snapshot) must go now, as a complete
    // snapshot of the list would have it, and not one snapshot later. Deleted as a watch deletes it.
    private IEnumerable<DatasourceEvent> DeletionsOfNodesReadEarlier(
        IReadOnlyDictionary<string, string> beforeRestart, NodeScreen screen, DatasourceAction action, DateTimeOffset sampleTime)
    {
        var gone = beforeRestart.Where(n => !screen.Kept(n.Key)).ToList();
        if (gone.Count == 0)
        {
            yield break;
        }

        context.Logger.LogInformation("Kubernetes {Server}: {Count} nodes read earlier in this snapshot (before a 410 restarted the list, or by a WatchList) are not in the list and are deleted: {Names}",
            _connection.SafeServer, gone.Count, string.Join(", ", gone.Take(10).Select(n => n.Value)) + (gone.Count > 10 ? ", ..." : string.Empty));
        foreach (var (uid, name) in gone)
        {
            var node = DeletedNode(uid, name);
            yield return _events.Create(node, NodeHeader.Read(node), action, sampleTime, KubernetesEventKeys.Deleted);
        }
    }

    // What the transformer needs to delete a node's vertex: its uid (and name, for the log).
    private static byte[] DeletedNode(string uid, string name)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("metadata");
            writer.WriteString("name", name);
            writer.WriteString("uid", uid);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void AddIdentity(List<NodeIdentity> identities, NodeIdentity? identity)
    {
        if (identity is not null)
        {
            identities.Add(identity);
        }
    }

    private string NodeListPath(string? continueToken) => continueToken is null
        ? $"api/v1/nodes?limit={options.PageSize}"
        : $"api/v1/nodes?limit={options.PageSize}&continue={Uri.EscapeDataString(continueToken)}";
}
