using System.Threading.Channels;
using PluginHost.Scheduling;

namespace PluginHost.Graph;

/// <summary>
/// The bounded queue between drivers and the graph processor. A full queue makes writers wait
/// (back-pressure on the datasources); nothing is ever dropped. Events travel in batches of at
/// most <see cref="MaxBatch"/> (see <see cref="EventBatcher"/>), so the capacity in events becomes
/// a capacity in batches.
/// </summary>
/// <remarks>
/// The processor may hold a publication for a short window (<see cref="HoldAsync"/>) so that a
/// trickle of watched changes is published together. Only a trickle waits: every item other than a
/// small batch of events (a snapshot's start or end, a full batch of a burst, a barrier, a reload,
/// the queue's completion) ends the window at once.
/// </remarks>
internal sealed class GraphQueue
{
    public const int MaxBatch = 32;

    private readonly Channel<GraphQueueItem> _channel;

    // Items that end a hold, counted by the writers; the processor compares the count with the one
    // it read before its last drain, so an item that came between the drain and the hold is not missed.
    private long _urgent;
    private readonly GatheringWindow _hold = new();

    public GraphQueue(int capacityInEvents)
    {
        var capacity = Math.Max(1, (capacityInEvents + MaxBatch - 1) / MaxBatch);
        _channel = Channel.CreateBounded<GraphQueueItem>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public ChannelReader<GraphQueueItem> Reader => _channel.Reader;

    /// <summary>How many items that end a hold were queued so far (read by the processor before it drains).</summary>
    public long UrgentCount => Interlocked.Read(ref _urgent);

    /// <summary>Waits while the queue is full; throws when the queue was closed (the processor stopped).</summary>
    public ValueTask EnqueueAsync(GraphQueueItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return IsTrickle(item) ? _channel.Writer.WriteAsync(item, cancellationToken) : EnqueueUrgentAsync(item, cancellationToken);
    }

    /// <summary>Waits until everything queued so far is applied to the graph and published.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var barrier = new BarrierQueueItem(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await EnqueueAsync(barrier, cancellationToken).ConfigureAwait(false);
        await barrier.Processed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// No more items: the processor applies what is queued and ends. With <paramref name="error"/>
    /// (the processor died), writers fail at once instead of waiting on a queue nobody reads.
    /// </summary>
    public void Complete(Exception? error = null)
    {
        _channel.Writer.TryComplete(error);
        EndHold();
    }

    /// <summary>
    /// The processor's wait of at most <paramref name="window"/> while watched changes gather in the
    /// queue without waking it; ends early when an item that must not wait was queued since the
    /// processor read <paramref name="urgentSeen"/> (<see cref="UrgentCount"/>), or the queue completed.
    /// </summary>
    public async Task HoldAsync(TimeSpan window, long urgentSeen, CancellationToken cancellationToken)
    {
        await _hold.WaitAsync(window, () => UrgentCount != urgentSeen || _channel.Reader.Completion.IsCompleted, cancellationToken)
            .ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested(); // the processor is stopping
    }

    // A few events a driver yielded and then had to wait: a watch's trickle, worth gathering.
    private static bool IsTrickle(GraphQueueItem item)
    {
        if (item is not EventBatchQueueItem { Events.Count: < MaxBatch } batch)
        {
            return false;
        }

        for (var i = 0; i < batch.Events.Count; i++)
        {
            if (batch.Events[i].IsEndOfSnapshot)
            {
                return false;
            }
        }

        return true;
    }

    private async ValueTask EnqueueUrgentAsync(GraphQueueItem item, CancellationToken cancellationToken)
    {
        await _channel.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _urgent);
        EndHold();
    }

    private void EndHold() => _hold.EndEarly();
}
