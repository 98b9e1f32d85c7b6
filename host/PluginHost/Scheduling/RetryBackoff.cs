namespace PluginHost.Scheduling;

/// <summary>Capped exponential backoff: initial, 2×, 4×, ... never above the cap.</summary>
internal sealed record RetryBackoff(TimeSpan Initial, TimeSpan Max)
{
    public TimeSpan Delay(int consecutiveFailures)
    {
        if (consecutiveFailures <= 0)
        {
            return TimeSpan.Zero;
        }

        var exponent = Math.Min(consecutiveFailures - 1, 30);
        var ticks = Initial.Ticks * Math.Pow(2, exponent);
        return ticks >= Max.Ticks ? Max : TimeSpan.FromTicks((long)ticks);
    }
}
