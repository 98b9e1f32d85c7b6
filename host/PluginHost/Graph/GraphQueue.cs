using System.Threading.Channels;

namespace PluginHost.Graph;

/// <summary>
/// The bounded queue between drivers and the graph processor. A full queue makes writers wait
/// (back-pressure on the datasources); nothing is ever dropped. Events travel in batches of at
/// most <see cref="MaxBatch"/> (see <see cref="EventBatcher"/>), so the capacity in events becomes
/// a capacity in batches.
/// </summary>
internal sealed class GraphQueue
{
    public const int MaxBatch = 32;

    private readonly Channel<GraphQueueItem> _channel;

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

    /// <summary>Waits while the queue is full; throws when the queue was closed (the processor stopped).</summary>
    public ValueTask EnqueueAsync(GraphQueueItem item, CancellationToken cancellationToken) =>
        _channel.Writer.WriteAsync(item, cancellationToken);

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
    public void Complete(Exception? error = null) => _channel.Writer.TryComplete(error);
}
