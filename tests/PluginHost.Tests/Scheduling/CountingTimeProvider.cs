using Microsoft.Extensions.Time.Testing;

namespace PluginHost.Tests.Scheduling;

/// <summary>A fake clock that counts the timers created on it, so a test knows when someone waits.</summary>
internal sealed class CountingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private int _created;
    private int _pending;

    public int TimersCreated => Volatile.Read(ref _created);

    /// <summary>Timers created and not disposed yet (Task.Delay disposes its timer when it ends or is cancelled).</summary>
    public int TimersPending => Volatile.Read(ref _pending);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new PendingTimer(base.CreateTimer(callback, state, dueTime, period), this);
        Interlocked.Increment(ref _pending);
        Interlocked.Increment(ref _created);
        return timer;
    }

    /// <summary>
    /// Waits until someone waits on this clock (a timer is pending), so that moving the clock on reaches
    /// that wait: a timer created after <see cref="FakeTimeProvider.Advance"/> never sees that advance.
    /// </summary>
    public async Task WaitForPendingTimerAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (TimersPending == 0)
        {
            await Task.Delay(2, timeout.Token);
        }
    }

    /// <summary>Waits until a timer was created after the count <paramref name="before"/>.</summary>
    public async Task WaitForTimerAfterAsync(int before)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (TimersCreated <= before)
        {
            await Task.Delay(2, timeout.Token);
        }
    }

    // The fake clock's timer, counted as pending until disposed.
    private sealed class PendingTimer(ITimer timer, CountingTimeProvider owner) : ITimer
    {
        private int _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period) => timer.Change(dueTime, period);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._pending);
            }

            timer.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
