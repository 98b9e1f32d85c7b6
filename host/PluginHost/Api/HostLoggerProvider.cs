using Microsoft.Extensions.Logging;

namespace PluginHost.Api;

/// <summary>Sends ASP.NET Core's logs to the host's own logger factory (one format, stderr, oslo's level).</summary>
internal sealed class HostLoggerProvider(ILoggerFactory factory) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

    // The factory belongs to the host.
    public void Dispose()
    {
    }
}
