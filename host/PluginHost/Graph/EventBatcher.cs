using System.Runtime.CompilerServices;
using PluginHost.Contracts;

namespace PluginHost.Graph;

/// <summary>
/// Moves a driver's events onto the graph queue in batches: events the driver yields without
/// waiting (the rest of a page it already read) go together, up to <see cref="GraphQueue.MaxBatch"/>,
/// and a batch is sent as soon as the driver has to wait for I/O. One queue hand-off per batch
/// instead of per event keeps the two threads from waking each other for every entity. Events
/// read before a driver fails are still queued.
/// </summary>
internal static class EventBatcher
{
    /// <summary>
    /// Queues every event of <paramref name="events"/>; returns how many there were. The count so far
    /// is kept in <paramref name="progress"/> (read by a progress line while a long snapshot runs).
    /// With <paramref name="transformAhead"/>, each batch is transformed on the thread pool as it is
    /// queued.
    /// </summary>
    public static async Task<int> EnqueueAllAsync(
        IAsyncEnumerable<DatasourceEvent> events, GraphQueue queue, CancellationToken cancellationToken, StrongBox<int>? progress = null,
        TransformAhead? transformAhead = null)
    {
        var count = 0;
        var batch = new List<DatasourceEvent>(GraphQueue.MaxBatch);
        await using var enumerator = events.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            var next = enumerator.MoveNextAsync();
            if (!next.IsCompleted && batch.Count > 0)
            {
                await queue.EnqueueAsync(Item(batch, transformAhead), cancellationToken).ConfigureAwait(false);
                batch = new List<DatasourceEvent>(GraphQueue.MaxBatch);
            }

            bool more;
            try
            {
                more = await next.ConfigureAwait(false);
            }
            catch (Exception) when (batch.Count > 0 && !cancellationToken.IsCancellationRequested)
            {
                // What was read before a failure still updates the graph (nothing gets deleted).
                await queue.EnqueueAsync(Item(batch, transformAhead), cancellationToken).ConfigureAwait(false);
                throw;
            }

            if (!more)
            {
                break;
            }

            batch.Add(enumerator.Current);
            count++;
            if (progress is not null)
            {
                Volatile.Write(ref progress.Value, count);
            }
            if (batch.Count == GraphQueue.MaxBatch)
            {
                await queue.EnqueueAsync(Item(batch, transformAhead), cancellationToken).ConfigureAwait(false);
                batch = new List<DatasourceEvent>(GraphQueue.MaxBatch);
            }
        }

        if (batch.Count > 0)
        {
            await queue.EnqueueAsync(Item(batch, transformAhead), cancellationToken).ConfigureAwait(false);
        }

        return count;
    }

    private static EventBatchQueueItem Item(List<DatasourceEvent> batch, TransformAhead? transformAhead) =>
        new(batch) { Ahead = transformAhead?.Start(batch) };
}
