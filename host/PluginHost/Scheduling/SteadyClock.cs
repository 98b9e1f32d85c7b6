namespace PluginHost.Scheduling;

/// <summary>
/// The host's clock for everything it stamps (sample times, snapshot starts, update times): the
/// wall clock, except that it never goes back. Sample times order the graph (an older sample never
/// overwrites a newer one, a complete snapshot deletes what is older than its start), so a wall
/// clock stepped back (NTP correcting a clock that ran ahead, a resumed VM, <c>date -s</c>) would
/// otherwise make every event after the step "older" than the graph, and drop it, until the clock
/// caught up again. After a step back this clock goes on from where it was at half the rate of the
/// monotonic timestamp, so it meets the wall clock again after twice the step, then follows it.
/// Timers and timestamps are the wrapped provider's.
/// </summary>
internal sealed class SteadyClock : TimeProvider
{
    private readonly TimeProvider _inner;
    private readonly Lock _lock = new();
    private DateTimeOffset? _last;
    private long _lastTimestamp;

    private SteadyClock(TimeProvider inner) => _inner = inner;

    /// <summary><paramref name="time"/> as a clock that never goes back (itself if it is one).</summary>
    public static TimeProvider Wrap(TimeProvider time) => time as SteadyClock ?? new SteadyClock(time);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            var wall = _inner.GetUtcNow();
            var timestamp = _inner.GetTimestamp();
            if (_last is not { } last || wall >= last)
            {
                _last = wall;
                _lastTimestamp = timestamp;
                return wall;
            }

            // The wall clock is behind what this clock already gave: go on, slower, until it catches up.
            var elapsed = _inner.GetElapsedTime(_lastTimestamp, timestamp);
            var next = last + (elapsed > TimeSpan.Zero ? elapsed / 2 : TimeSpan.Zero);
            _last = next;
            _lastTimestamp = timestamp;
            return next;
        }
    }

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _inner.CreateTimer(callback, state, dueTime, period);
}
