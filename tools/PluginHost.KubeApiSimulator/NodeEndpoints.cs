using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace PluginHost.KubeApiSimulator;

/// <summary><c>/api/v1/nodes</c>: list with paging and selectors, watch, get.</summary>
internal sealed class NodeEndpoints(KubeApiSimulator simulator)
{
    private const int BodyChunk = 8 * 1024;

    // What a list response holds before it is sent on: a bound on the simulator's memory per request.
    private const int FlushBytes = 256 * 1024;

    private long _endlessSerial;

    public async Task ListOrWatchAsync(HttpContext context, FaultRule? fault)
    {
        var query = context.Request.Query;
        Func<StoredNode, bool> filter;
        try
        {
            filter = ListSelectors.Parse(query["labelSelector"], query["fieldSelector"]);
        }
        catch (FormatException e)
        {
            await StatusResponses.BadRequestAsync(context, e.Message).ConfigureAwait(false);
            return;
        }

        if (IsWatch(query))
        {
            await new NodeWatchStream(simulator).ServeAsync(context, filter, fault).ConfigureAwait(false);
            return;
        }

        int? limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? l : null;
        string? after = null;
        var token = query["continue"].ToString();
        if (token.Length > 0)
        {
            var decoded = ContinueToken.Decode(token);
            if (decoded is null)
            {
                await StatusResponses.BadRequestAsync(context, "continue key is not valid").ConfigureAwait(false);
                return;
            }

            after = decoded.After;
        }

        var (page, resourceVersion, remaining) = simulator.Nodes.List(after, limit ?? int.MaxValue, filter);
        var next = remaining > 0 ? new ContinueToken(resourceVersion, page[^1].Name).Encode() : null;
        int? reported = next is null ? null : remaining;
        switch (fault?.Kind)
        {
            case FaultKind.RepeatContinueToken:
                next = token.Length > 0 ? token : next;
                break;
            case FaultKind.EndlessContinue:
                // A fresh token every time, starting over after the last node.
                var serial = Interlocked.Increment(ref _endlessSerial);
                next = new ContinueToken(resourceVersion + serial, remaining > 0 ? page[^1].Name : string.Empty).Encode();
                reported = fault.RemainingItemCount ? (remaining > 0 ? remaining : simulator.Nodes.Count) : null;
                break;
        }

        if (NodeTable.IsRequested(context.Request.Headers.Accept))
        {
            await WriteBodyAsync(context, NodeTable.Compose(page, resourceVersion, next, reported ?? 0, DateTimeOffset.UtcNow), fault).ConfigureAwait(false);
        }
        else if (!await TryWriteFaultyBodyAsync(context, () => ComposeList(page, resourceVersion, next, reported), fault).ConfigureAwait(false))
        {
            await WriteListAsync(context, page, ListHeader(resourceVersion, next, reported)).ConfigureAwait(false);
        }
    }

    public static bool IsWatch(IQueryCollection query) => query["watch"] is var watch && (watch == "true" || watch == "1");

    public async Task GetAsync(HttpContext context, string name, FaultRule? fault)
    {
        var node = simulator.Nodes.Find(name);
        if (node is null)
        {
            await StatusResponses.NotFoundAsync(context, $"nodes \"{name}\" not found").ConfigureAwait(false);
            return;
        }

        var body = NodeTable.IsRequested(context.Request.Headers.Accept)
            ? NodeTable.Compose([node], node.ResourceVersion, null, 0, DateTimeOffset.UtcNow)
            : node.Json;
        await WriteBodyAsync(context, body, fault).ConfigureAwait(false);
    }

    // A list's bytes up to its first item: {"kind":"NodeList",…,"items":[
    private static byte[] ListHeader(long resourceVersion, string? continueToken, int? remaining)
    {
        var header = new StringBuilder("{\"kind\":\"NodeList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"")
            .Append(resourceVersion.ToString(CultureInfo.InvariantCulture)).Append('"');
        if (continueToken is not null)
        {
            header.Append(",\"continue\":\"").Append(continueToken).Append('"');
        }

        if (remaining is { } count)
        {
            header.Append(",\"remainingItemCount\":").Append(count.ToString(CultureInfo.InvariantCulture));
        }

        return Encoding.UTF8.GetBytes(header.Append("},\"items\":[").ToString());
    }

    /// <summary>
    /// A list page written node by node into the response, with its length announced: no page-sized
    /// array. Composing each page (two arrays of ~2.5 MB for 500 nodes, on the large object heap) made
    /// the in-process benchmarks' collector run background gen2 collections for the simulator's
    /// garbage, in the process whose pipeline they measure.
    /// </summary>
    private static async Task WriteListAsync(HttpContext context, List<StoredNode> page, byte[] header)
    {
        var response = context.Response;
        response.ContentType = "application/json";
        response.ContentLength = header.Length + page.Sum(n => (long)n.Json.Length) + Math.Max(0, page.Count - 1) + 2;
        var writer = response.BodyWriter;
        var aborted = context.RequestAborted;
        writer.Write(header);
        for (var i = 0; i < page.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(","u8);
            }

            writer.Write(page[i].Json);
            if (writer.UnflushedBytes >= FlushBytes)
            {
                await writer.FlushAsync(aborted).ConfigureAwait(false);
            }
        }

        writer.Write("]}"u8);
        await writer.FlushAsync(aborted).ConfigureAwait(false);
    }

    private static byte[] ComposeList(List<StoredNode> page, long resourceVersion, string? continueToken, int? remaining)
    {
        using var body = new MemoryStream(page.Sum(n => n.Json.Length + 1) + 256);
        body.Write(ListHeader(resourceVersion, continueToken, remaining));
        for (var i = 0; i < page.Count; i++)
        {
            if (i > 0)
            {
                body.WriteByte((byte)',');
            }

            body.Write(page[i].Json);
        }

        body.Write("]}"u8);
        return body.ToArray();
    }

    private static async Task WriteBodyAsync(HttpContext context, byte[] body, FaultRule? fault)
    {
        if (!await TryWriteFaultyBodyAsync(context, () => body, fault).ConfigureAwait(false))
        {
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes the body a fault cuts, breaks or paces, from the bytes <paramref name="compose"/> makes
    /// (only then made); false when the fault, or none, leaves the body to the caller. The one list of
    /// such faults: a list page is written node by node unless one of them applies.
    /// </summary>
    private static async Task<bool> TryWriteFaultyBodyAsync(HttpContext context, Func<byte[]> compose, FaultRule? fault)
    {
        var response = context.Response;
        response.ContentType = "application/json";
        var aborted = context.RequestAborted;
        switch (fault?.Kind)
        {
            case FaultKind.TruncatedBody:
                var truncated = compose();
                await response.Body.WriteAsync(truncated.AsMemory(0, truncated.Length / 2), aborted).ConfigureAwait(false);
                return true;
            case FaultKind.ResetMidBody:
                var reset = compose();
                await response.Body.WriteAsync(reset.AsMemory(0, reset.Length / 2), aborted).ConfigureAwait(false);
                await response.Body.FlushAsync(aborted).ConfigureAwait(false);
                context.Abort();
                return true;
            case FaultKind.MalformedJson:
                await response.Body.WriteAsync("{\"kind\":\"NodeList\",\"items\":[{\"metadata\":{\"name\": oops"u8.ToArray(), aborted).ConfigureAwait(false);
                return true;
            case FaultKind.OversizedBody:
                // {"padding":"xxx…", then the real list without its opening brace: still one valid NodeList.
                await PaddedBody.WriteAsync(context, "{\"padding\":\""u8.ToArray(), fault.Size, [.. "\","u8, .. compose().AsSpan(1)],
                    announceLength: fault.ContentLength).ConfigureAwait(false);
                return true;
            case FaultKind.SlowBody:
                var slow = compose();
                for (var offset = 0; offset < slow.Length; offset += BodyChunk)
                {
                    await response.Body.WriteAsync(slow.AsMemory(offset, Math.Min(BodyChunk, slow.Length - offset)), aborted).ConfigureAwait(false);
                    await response.Body.FlushAsync(aborted).ConfigureAwait(false);
                    await Task.Delay(fault.Delay, aborted).ConfigureAwait(false);
                }

                return true;
            default:
                return false;
        }
    }
}
