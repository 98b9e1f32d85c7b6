using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using PluginHost.Graph;

namespace PluginHost.Outputs;

/// <summary>
/// Writes a <see cref="Subgraph"/> as compact node-link JSON, byte for byte what
/// <see cref="NodeLinkGraphWriter"/> writes with an unindented writer, but with the nodes and links
/// turned into JSON in pieces on the thread pool while earlier pieces go to the stream in order.
/// For <c>snapshot</c> of a large graph, whose caller waits for all of it. Not for the service's
/// graph file or API, which would take both cores from the requests and snapshots beside them.
/// </summary>
internal static class ParallelNodeLinkWriter
{
    /// <summary>
    /// The graph size (vertices) from which <c>snapshot</c> writes in pieces, where they pay.
    /// Measured on 2 cores against the sequential writer: at 133,000 vertices (65,000 nodes,
    /// ~240 MB of JSON) 375–575 against 540–900 ms; at 40,000 (20,000 nodes) 250–305 against
    /// 215–340 ms, no gain; at 10,000 no gain and a higher peak (median 149 against 132 MiB in
    /// 6 runs: the pieces' buffers on top of the graph).
    /// </summary>
    public const int MinVertices = 100_000;

    // A piece is a few hundred KB of JSON: enough to outweigh a work item's cost, small enough
    // that the few buffers in flight (reused, never more than Lookahead + 1) stay a few MB.
    private const int NodesPerPiece = 128;
    private const int LinksPerPiece = 2048;

    private static readonly byte[] Start = "{\"directed\":true,\"multigraph\":true,\"graph\":{},\"nodes\":["u8.ToArray();
    private static readonly byte[] BetweenNodesAndLinks = "],\"links\":["u8.ToArray();
    private static readonly byte[] End = "],\"raw\":true}"u8.ToArray();
    private static readonly byte[] Comma = ","u8.ToArray();

    private static int Lookahead => Math.Max(2, 2 * Environment.ProcessorCount);

    public static async Task WriteAsync(Stream stream, Subgraph graph, JsonWriterOptions options, CancellationToken cancellationToken)
    {
        if (options.Indented)
        {
            throw new ArgumentException("the pieces are joined as compact JSON", nameof(options));
        }

        var buffers = new ConcurrentBag<ArrayBufferWriter<byte>>();
        await stream.WriteAsync(Start, cancellationToken).ConfigureAwait(false);
        await WritePiecesAsync(stream, graph.Nodes.Count, NodesPerPiece, buffers,
            (writer, index) => NodeLinkGraphWriter.WriteNode(writer, graph, index), options, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(BetweenNodesAndLinks, cancellationToken).ConfigureAwait(false);
        await WritePiecesAsync(stream, graph.Links.Count, LinksPerPiece, buffers,
            (writer, index) => NodeLinkGraphWriter.WriteLink(writer, graph, index), options, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(End, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WritePiecesAsync(
        Stream stream,
        int count,
        int perPiece,
        ConcurrentBag<ArrayBufferWriter<byte>> buffers,
        Action<Utf8JsonWriter, int> writeItem,
        JsonWriterOptions options,
        CancellationToken cancellationToken)
    {
        var pieces = (count + perPiece - 1) / perPiece;
        var pending = new Queue<Task<ArrayBufferWriter<byte>>>();
        var next = 0;
        try
        {
            for (var piece = 0; piece < pieces; piece++)
            {
                while (next < pieces && pending.Count < Lookahead)
                {
                    var from = next++ * perPiece;
                    var to = Math.Min(from + perPiece, count);
                    pending.Enqueue(Task.Run(() => WritePiece(from, to, buffers, writeItem, options), cancellationToken));
                }

                var buffer = await pending.Dequeue().ConfigureAwait(false);
                if (piece > 0)
                {
                    await stream.WriteAsync(Comma, cancellationToken).ConfigureAwait(false);
                }

                // Each piece is a JSON array of its items; the stream gets the items without the brackets.
                await stream.WriteAsync(buffer.WrittenMemory[1..^1], cancellationToken).ConfigureAwait(false);
                buffer.ResetWrittenCount();
                buffers.Add(buffer);
            }
        }
        finally
        {
            // A failed write (a closed pipe) leaves pieces in flight: each ends on its own, and a
            // failure of theirs is observed here rather than left to the finalizer.
            foreach (var left in pending)
            {
                await left.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
                    .ConfigureAwait(false);
            }
        }
    }

    private static ArrayBufferWriter<byte> WritePiece(
        int from, int to, ConcurrentBag<ArrayBufferWriter<byte>> buffers, Action<Utf8JsonWriter, int> writeItem, JsonWriterOptions options)
    {
        var buffer = buffers.TryTake(out var free) ? free : new ArrayBufferWriter<byte>(64 * 1024);
        using var writer = new Utf8JsonWriter(buffer, options);
        writer.WriteStartArray();
        for (var i = from; i < to; i++)
        {
            writeItem(writer, i);
        }

        writer.WriteEndArray();
        writer.Flush();
        return buffer;
    }
}
