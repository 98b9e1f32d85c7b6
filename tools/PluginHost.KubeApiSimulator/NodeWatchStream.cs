using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace PluginHost.KubeApiSimulator;

/// <summary>
/// A watch on nodes: newline-delimited <c>{"type":…,"object":…}</c> events from a resourceVersion
/// on, BOOKMARKs when asked for, an ERROR event with a 410 Status when the version is too old, and
/// the end of the stream after <c>timeoutSeconds</c>.
/// </summary>
internal sealed class NodeWatchStream(KubeApiSimulator simulator)
{
    public async Task ServeAsync(HttpContext context, Func<StoredNode, bool> filter)
    {
        var query = context.Request.Query;
        long? from = long.TryParse(query["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var rv) && rv > 0 ? rv : null;
        var bookmarks = query["allowWatchBookmarks"] == "true";
        var timeout = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(30);
        var response = context.Response;
        response.ContentType = "application/json";
        await response.StartAsync(context.RequestAborted).ConfigureAwait(false);

        var subscription = simulator.Nodes.Watch(from);
        if (subscription is null)
        {
            var status = StatusResponses.Body(410, "Expired", $"too old resource version: {from} ({simulator.Nodes.ResourceVersion})");
            await WriteEventAsync(response, "ERROR", status, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var (reader, unsubscribe) = subscription.Value;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(timeout);
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
                            if (e.Type == "DELETED" || filter(ToStoredNode(e)))
                            {
                                await WriteEventAsync(response, e.Type, e.ObjectJson, deadline.Token).ConfigureAwait(false);
                            }
                        }
                    }

                    return;
                }
                catch (OperationCanceledException) when (!deadline.IsCancellationRequested && bookmarks)
                {
                    var bookmark = Encoding.UTF8.GetBytes(
                        $"{{\"kind\":\"Node\",\"apiVersion\":\"v1\",\"metadata\":{{\"resourceVersion\":\"{simulator.Nodes.ResourceVersion}\"}}}}");
                    await WriteEventAsync(response, "BOOKMARK", bookmark, deadline.Token).ConfigureAwait(false);
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
