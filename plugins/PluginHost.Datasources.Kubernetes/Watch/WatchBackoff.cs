namespace PluginHost.Datasources.Kubernetes.Watch;

/// <summary>
/// client-go's reflector backoff: 0.8 s, doubling up to 30 s, each wait plus up to 100 % random
/// jitter (so 0.8–1.6 s first, 30–60 s at most), and back to 0.8 s once two minutes passed
/// without a backoff. On the datasource's clock, so tests drive it with a fake one.
/// </summary>
internal sealed class WatchBackoff(TimeProvider time)
{
    public static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(800);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ResetAfter = TimeSpan.FromMinutes(2);
    private const double Jitter = 1.0;

    private TimeSpan _next = Initial;
    private DateTimeOffset? _last;

    /// <summary>How long to wait before the next attempt.</summary>
    public TimeSpan Next()
    {
        var now = time.GetUtcNow();
        if (_last is not { } last || now - last > ResetAfter)
        {
            _next = Initial;
        }

        _last = now;
        var current = _next;
        _next = current * 2 < Max ? current * 2 : Max;
        return current + (current * Jitter * Random.Shared.NextDouble());
    }
}
