using Microsoft.Extensions.Time.Testing;

namespace PluginHost.Tests.Scheduling;

/// <summary>A fake clock that counts the timers created on it, so a test knows when someone waits.</summary>
internal sealed class CountingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private int _created;

    public int TimersCreated => Volatile.Read(ref _created);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _created);
        return timer;
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
}
