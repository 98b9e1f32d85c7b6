using Microsoft.Extensions.Logging;

namespace PluginHost.Outputs;

/// <summary>
/// Logs an output's failures once per distinct message (a full disk fails every write with the
/// same text; one line says it), and one line when the output works again.
/// </summary>
internal sealed class DistinctErrorLog(ILogger logger, string output, string outputName)
{
    private string? _last;

    /// <summary>The current error, while failing.</summary>
    public string? Current => Volatile.Read(ref _last);

    public void Failed(string message)
    {
        Operations.HostMetrics.OutputFailed(outputName);
        if (!string.Equals(Interlocked.Exchange(ref _last, message), message, StringComparison.Ordinal))
        {
            logger.LogError("Output {Output} failed: {Message}; it is retried, the graph and the other outputs go on", output, message);
        }
    }

    public void Succeeded()
    {
        if (Interlocked.Exchange(ref _last, null) is not null)
        {
            logger.LogInformation("Output {Output} works again", output);
        }
    }
}
