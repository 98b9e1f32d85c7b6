namespace PluginHost.Scheduling;

/// <summary>
/// A wait of at most a window while work gathers (watched changes for one publication, alarm changes
/// for one transaction), which whoever queues work that must not wait ends at once. The window is on
/// the system clock, not the host's <see cref="TimeProvider"/>: it only bounds how often a worker
/// wakes and stamps nothing, and a test's fake clock must not stall the pipeline.
/// </summary>
/// <remarks>
/// Under a watch's steady changes a window opens several times a second, so each costs as few
/// thread wake-ups as it can: one timer for the window's lifetime, re-armed for each wait (no timer,
/// linked token source and cancellation per wait), and the waiter goes on on the timer's own
/// thread-pool thread when the window ends. An early end or a cancellation comes from another
/// thread (a driver's, the host's stop) and hands the waiter to the thread pool instead, so the
/// waiter's work never runs on that caller's thread. A timer that fired just as a wait ended early
/// may end the next wait early: a window is an upper bound, so that only publishes sooner.
/// </remarks>
internal sealed class GatheringWindow
{
    private readonly ITimer _timer;
    private TaskCompletionSource? _waiting;

    public GatheringWindow()
    {
        // Unarmed between waits; nothing but this window holds it.
        _timer = TimeProvider.System.CreateTimer(static window => ((GatheringWindow)window!).End(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Ends the wait under way, if any. A caller first makes its reason visible to the wait's
    /// <c>endNow</c> check (a count, a queue's length): a signal sent before the wait began is then
    /// seen there instead of being lost.
    /// </summary>
    public void EndEarly() => HandOff(Volatile.Read(ref _waiting));

    /// <summary>
    /// Waits up to <paramref name="window"/>; returns at once when <paramref name="endNow"/> holds once
    /// the wait is armed, and as soon as <see cref="EndEarly"/> is called or
    /// <paramref name="cancellationToken"/> is cancelled (without throwing: the caller decides).
    /// Waits of one window do not overlap (one waiter: the processor, the history's writer).
    /// </summary>
    public async Task WaitAsync(TimeSpan window, Func<bool> endNow, CancellationToken cancellationToken)
    {
        var signal = new TaskCompletionSource();
        Volatile.Write(ref _waiting, signal);
        try
        {
            if (endNow() || cancellationToken.IsCancellationRequested)
            {
                return;
            }

            _timer.Change(window, Timeout.InfiniteTimeSpan);
            using (cancellationToken.UnsafeRegister(static waiting => HandOff((TaskCompletionSource?)waiting), signal))
            {
                await signal.Task.ConfigureAwait(false);
            }
        }
        finally
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Interlocked.CompareExchange(ref _waiting, null, signal);
        }
    }

    // The window's end, on the timer's thread-pool thread: the waiter goes on right here.
    private void End() => Volatile.Read(ref _waiting)?.TrySetResult();

    private static void HandOff(TaskCompletionSource? waiting)
    {
        if (waiting is { Task.IsCompleted: false })
        {
            ThreadPool.UnsafeQueueUserWorkItem(static w => w.TrySetResult(), waiting, preferLocal: false);
        }
    }
}
