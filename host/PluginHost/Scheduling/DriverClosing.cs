using Microsoft.Extensions.Logging;
using PluginHost.Configuration;
using PluginHost.Contracts;
using PluginHost.Logging;

namespace PluginHost.Scheduling;

/// <summary>
/// Closes drivers that never ran (<c>check-config</c>'s, or those made before a configuration error
/// stopped the start): all at once, under one deadline, so a driver that hangs on close uses up the
/// time of no other, and the whole close takes at most <c>shutdown_timeout</c> however many there are.
/// </summary>
internal static class DriverClosing
{
    public static async Task CloseAllAsync(
        IEnumerable<(DatasourceConfiguration Datasource, IDatasourceDriver Driver, ILogger Logger)> drivers, TimeSpan timeout, ILogger logger)
    {
        // Task.Run: a driver that blocks before its first await must not hold up starting the others.
        var closing = drivers.Select(d => (d.Datasource.Name, Task: Task.Run(() => CloseAsync(d.Datasource.Name, d.Driver, logger)))).ToList();
        try
        {
            await Task.WhenAll(closing.Select(c => c.Task)).WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            foreach (var (name, _) in closing.Where(c => !c.Task.IsCompleted))
            {
                logger.LogWarning("Timeout ([plugin_host] shutdown_timeout) reached while closing datasource {Datasource}; it is abandoned", name);
            }
        }
    }

    private static async Task CloseAsync(string name, IDatasourceDriver driver, ILogger logger)
    {
        try
        {
            await driver.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a driver failing to close must not keep the others open
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError("While stopping, closing datasource {Datasource} failed: {Message}", name, LogText.Escape(e.Message));
        }
    }
}
