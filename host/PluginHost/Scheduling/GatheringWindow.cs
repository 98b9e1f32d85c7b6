namespace PluginHost.Scheduling;

/// <summary>
/// A wait of at most a window while work gathers (watched changes for one publication, alarm changes
/// for one transaction), which whoever queues work that must not wait ends at once. The window is on
/// the system clock, not the host's <see cref="TimeProvider"/>: it only bounds how often a worker
/// wakes and stamps nothing, and a test's fake clock must not stall the pipeline.
/// </summary>
internal sealed class GatheringWindow
{
    private TaskCompletionSource? _waiting;

    /// <summary>
    /// Ends the wait under way, if any. A caller first makes its reason visible to the wait's
    /// <c>endNow</c> check (a count, a queue's length): a signal sent before the wait began is then
    /// seen there instead of being lost.
    /// </summary>
    public void EndEarly() => Volatile.Read(ref _waiting)?.TrySetResult();

    /// <summary>
    /// Waits up to <paramref name="window"/>; returns at once when <paramref name="endNow"/> holds once
    /// the wait is armed, and as soon as <see cref="EndEarly"/> is called or
    /// <paramref name="cancellationToken"/> is cancelled (without throwing: the caller decides).
    /// </summary>
    public async Task WaitAsync(TimeSpan window, Func<bool> endNow, CancellationToken cancellationToken)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _waiting, signal);
        try
        {
            if (endNow() || cancellationToken.IsCancellationRequested)
            {
                return;
            }

            using var windowEnd = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(window, TimeProvider.System, windowEnd.Token);
            await Task.WhenAny(signal.Task, delay).ConfigureAwait(false);
            await windowEnd.CancelAsync().ConfigureAwait(false); // its timer goes at once when ended early
        }
        finally
        {
            Interlocked.CompareExchange(ref _waiting, null, signal);
        }
    }
}
