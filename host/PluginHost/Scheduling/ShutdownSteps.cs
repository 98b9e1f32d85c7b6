using Microsoft.Extensions.Logging;
using PluginHost.Configuration;
using PluginHost.Contracts;
using PluginHost.Logging;

namespace PluginHost.Scheduling;

/// <summary>
/// The steps of a stop (applying the queue, flushing and closing outputs, closing drivers), each
/// bounded by the stop's deadline: what is not done by then is abandoned and logged, and a step that
/// fails is logged without keeping the others from running.
/// </summary>
internal static class ShutdownSteps
{
    public static async Task BoundedAsync(ILogger logger, string what, Func<Task> step, CancellationToken deadline)
    {
        try
        {
            await step().WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            logger.LogWarning("Timeout ([plugin_host] shutdown_timeout) reached while {What}; it is abandoned", what);
        }
#pragma warning disable CA1031 // a failing step must not keep the others from closing
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError("While stopping, {What} failed: {Message}", what, LogText.Escape(e.Message));
        }
    }

    /// <summary>
    /// Closes drivers that never ran (<c>check-config</c>'s, or those made before a configuration error
    /// stopped the start): all at once, under one deadline, so a driver that hangs on close uses up the
    /// time of no other, and the whole close takes at most <paramref name="timeout"/> however many there are.
    /// </summary>
    public static async Task CloseDriversAsync(
        IEnumerable<(DatasourceConfiguration Datasource, IDatasourceDriver Driver, ILogger Logger)> drivers, TimeSpan timeout, ILogger logger)
    {
        using var deadline = new CancellationTokenSource(timeout);

        // Task.Run: a driver that blocks before its first await must not hold up starting the others.
        await Task.WhenAll(drivers.Select(d => BoundedAsync(
            logger, $"closing datasource {d.Datasource.Name}", () => Task.Run(() => d.Driver.DisposeAsync().AsTask()), deadline.Token))).ConfigureAwait(false);
    }
}
