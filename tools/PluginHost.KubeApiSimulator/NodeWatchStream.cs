using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace PluginHost.KubeApiSimulator;

/// <summary>
/// A watch on nodes: newline-delimited <c>{"type":…,"object":…}</c> events from a resourceVersion
/// on, BOOKMARKs when asked for, an ERROR event with a 410 Status when the version is too old (504
/// "Too large resource version" when it is above the collection's, after a restore), and
/// the end of the stream after <c>timeoutSeconds</c> (or the simulator's
/// <see cref="KubeApiSimulator.MaxWatchDuration"/>). A WatchList (<c>sendInitialEvents=true</c>)
/// first sends every node as ADDED, then the bookmark annotated <c>k8s.io/initial-events-end</c>;
/// with WatchList switched off it is refused with 422, as an older API server refuses it. The
/// <see cref="FaultKind.SilentWatch"/> and <see cref="FaultKind.DropWatch"/> faults hang or break it.
/// </summary>
internal sealed class NodeWatchStream(KubeApiSimulator simulator)
{
    public async Task ServeAsync(HttpContext context, Func<StoredNode, bool> filter, FaultRule? fault)
    {
        var query = context.Request.Query;
        long? from = long.TryParse(query["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var rv) && rv > 0 ? rv : null;
        var bookmarks = query["allowWatchBookmarks"] == "true";
        var initialEvents = query["sendInitialEvents"] == "true";
        if (initialEvents && RefusalOfWatchList(query["resourceVersionMatch"], bookmarks) is { } refusal)
        {
            await StatusResponses.WriteAsync(context, 422, "Invalid", refusal).ConfigureAwait(false);
            return;
        }

        var timeout = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(30);
        if (simulator.MaxWatchDuration is { } longest && longest < timeout)
        {
            timeout = longest;
        }

        var response = context.Response;
        response.ContentType = "application/json";
        await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        using var open = simulator.Watches.Open(context);
        switch (fault?.Kind)
        {
            case FaultKind.SilentWatch:
                await WaitForTheClientToLeaveAsync(context).ConfigureAwait(false);
                return;
            case FaultKind.DropWatch when fault.AfterEvents == 0:
                await BreakAsync(context).ConfigureAwait(false);
                return;
        }

        // After an etcd restore (Nodes.Restore) a client's version can be above the collection's. The
        // API server's watch cache waits up to 3 s for it, then ends the watch with this ERROR event
        // (client-go relists on it); answered at once here, so tests need not wait.
        if (from is { } ahead && !initialEvents && ahead > simulator.Nodes.ResourceVersion)
        {
            await WriteEventAsync(response, "ERROR", StatusResponses.TooLargeResourceVersion(ahead, simulator.Nodes.ResourceVersion), context.RequestAborted)
                .ConfigureAwait(false);
            return;
        }

        var subscription = simulator.Nodes.Watch(from, initialEvents);
        if (subscription is null)
        {
            var status = StatusResponses.Body(410, "Expired", $"too old resource version: {from} ({simulator.Nodes.ResourceVersion})");
            await WriteEventAsync(response, "ERROR", status, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var (reader, unsubscribe) = subscription.Value;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(timeout);
        var sent = 0;
        try
        {
            while (!deadline.IsCancellationRequested)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                tick.CancelAfter(simulator.Options.BookmarkInterval);
                try
                {
                    while (await reader.WaitToReadAsync(tick.Token).ConfigureAwait(false))
                    {
                        while (reader.TryRead(out var e))
                        {
                            if (e.Type == WatchEvent.InitialEventsEnd)
                            {
                                await WriteEventAsync(response, "BOOKMARK", Bookmark(e.ResourceVersion, initialEventsEnd: true), deadline.Token).ConfigureAwait(false);
                                continue;
                            }

                            if (e.Type != "DELETED" && !filter(ToStoredNode(e)))
                            {
                                continue;
                            }

                            await WriteEventAsync(response, e.Type, e.ObjectJson, deadline.Token).ConfigureAwait(false);
                            if (fault?.Kind == FaultKind.DropWatch && ++sent >= fault.AfterEvents)
                            {
                                await BreakAsync(context).ConfigureAwait(false);
                                return;
                            }
                        }
                    }

                    return;
                }
                catch (OperationCanceledException) when (!deadline.IsCancellationRequested && bookmarks)
                {
                    await WriteEventAsync(response, "BOOKMARK", Bookmark(simulator.Nodes.ResourceVersion, initialEventsEnd: false), deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                {
                    // no bookmarks asked for: keep waiting
                }
            }
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds reached or the client went away: end the stream
        }
        finally
        {
            unsubscribe();
        }
    }

    // The API server's validation of a WatchList request (and its answer when the gate is off).
    private string? RefusalOfWatchList(string? resourceVersionMatch, bool bookmarks) =>
        !simulator.WatchListEnabled
            ? "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"
            : resourceVersionMatch != "NotOlderThan"
                ? "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"
                : !bookmarks
                    ? "ListOptions.meta.k8s.io \"\" is invalid: allowWatchBookmarks: Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true"
                    : null;

    // A reset discards what the client has not read yet: give what was sent a moment to arrive, as
    // on a network that fails after delivering it.
    private static async Task BreakAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // the client left first
        }

        context.Abort();
    }

    private static async Task WaitForTheClientToLeaveAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static byte[] Bookmark(long resourceVersion, bool initialEventsEnd) => Encoding.UTF8.GetBytes(initialEventsEnd
        ? $"{{\"kind\":\"Node\",\"apiVersion\":\"v1\",\"metadata\":{{\"resourceVersion\":\"{resourceVersion}\",\"annotations\":{{\"k8s.io/initial-events-end\":\"true\"}}}}}}"
        : $"{{\"kind\":\"Node\",\"apiVersion\":\"v1\",\"metadata\":{{\"resourceVersion\":\"{resourceVersion}\"}}}}");

    // Watch selectors match the name and labels of the changed object.
    private static StoredNode ToStoredNode(WatchEvent e)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = System.Text.Json.JsonDocument.Parse(e.ObjectJson);
        var name = string.Empty;
        if (document.RootElement.TryGetProperty("metadata", out var metadata))
        {
            name = metadata.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty;
            if (metadata.TryGetProperty("labels", out var map))
            {
                foreach (var label in map.EnumerateObject())
                {
                    labels[label.Name] = label.Value.GetString() ?? string.Empty;
                }
            }
        }

        return new StoredNode(name, e.ResourceVersion, labels, e.ObjectJson);
    }

    private static async Task WriteEventAsync(HttpResponse response, string type, byte[] objectJson, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":"), cancellationToken).ConfigureAwait(false);
        await response.Body.WriteAsync(objectJson, cancellationToken).ConfigureAwait(false);
        await response.Body.WriteAsync("}\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
