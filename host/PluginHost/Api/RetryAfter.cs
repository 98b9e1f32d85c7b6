using System.Globalization;
using PluginHost.Scheduling;

namespace PluginHost.Api;

/// <summary>
/// The <c>Retry-After</c> of a 503 "not ready" (the API's reads, <c>/v1/status</c>, <c>/readyz</c>):
/// when asking again can first give another answer, from what the scheduler knows. While the
/// datasources the graph waits for have all failed and wait for their retry, the graph cannot be
/// ready before the first of those retries starts: the seconds until then (a client that waits for
/// it does not ask 30 times in a 300 s backoff). While one of them is reading a snapshot, its end
/// is the next chance and nothing tells when it comes (a first snapshot takes from under a second
/// to minutes): <see cref="WhileReading"/>, short enough to follow a quick snapshot closely, long
/// enough not to hammer a host that is busy reading.
/// </summary>
internal static class RetryAfter
{
    public const string Header = "Retry-After";

    /// <summary>Seconds while a snapshot the graph waits for is being read.</summary>
    public const int WhileReading = 5;

    /// <summary>Whole seconds (HTTP's delay-seconds), at least 1.</summary>
    public static string Seconds(IReadOnlyList<DriverRunner> waitingFor, DateTimeOffset now)
    {
        var soonest = TimeSpan.FromSeconds(WhileReading);
        var retries = waitingFor.Select(r => r.NextAttempt).ToList(); // each read once: a runner moves on meanwhile
        if (retries.Count > 0 && retries.All(due => due > now))
        {
            soonest = retries.Min(due => due!.Value) - now;
        }

        return Math.Max(1, (long)Math.Ceiling(soonest.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    }
}
