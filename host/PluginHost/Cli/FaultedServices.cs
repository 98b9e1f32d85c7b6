using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PluginHost.Cli;

/// <summary>
/// The background services of a stopped host that ended with an exception. The generic host logs
/// such an exception and stops, and its RunAsync returns as after a SIGTERM: without this check
/// <c>run</c> exited 0, which systemd's <c>Restart=on-failure</c> leaves down.
/// </summary>
internal static class FaultedServices
{
    /// <summary>Runs <paramref name="host"/> until it stops (as <c>RunAsync</c>, which would also
    /// dispose it before its services can be asked) and names the services that threw.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(IHost host, CancellationToken cancellationToken)
    {
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return [.. host.Services.GetServices<IHostedService>().OfType<BackgroundService>().Where(s => s.ExecuteTask is { IsFaulted: true }).Select(s => s.GetType().Name)];
    }
}
