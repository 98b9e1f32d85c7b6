using System.Diagnostics;
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
            LogAbandoned(logger, what);
        }
#pragma warning disable CA1031 // a failing step must not keep the others from closing
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(logger, what, e);
        }
    }

    /// <summary>
    /// Closes drivers that never ran (<c>check-config</c>'s, or those made before a configuration error
    /// stopped the start): all at once, under one deadline, so a driver that hangs on close uses up the
    /// time of no other, and the whole close takes at most <paramref name="timeout"/> however many there are.
    /// </summary>
    /// <remarks>
    /// Each close starts on a thread of its own, so a driver that blocks before its first await does
    /// not hold up starting the others, and the wait is a plain bounded one. Neither the thread pool
    /// nor a timer is started for a driver whose close has nothing to wait for: in a process that
    /// only checks the configuration, starting them was about 10 ms of its 0.2 s.
    /// </remarks>
    public static void CloseDrivers(
        IEnumerable<(DatasourceConfiguration Datasource, IDatasourceDriver Driver, ILogger Logger)> drivers, TimeSpan timeout, ILogger logger)
    {
        var started = Stopwatch.GetTimestamp();
        var closing = drivers.Select(d => DriverClose.Start(d.Datasource.Name, d.Driver)).ToList();
        foreach (var close in closing)
        {
            // What is left of the deadline, as a wait takes it: 0 to int.MaxValue milliseconds.
            var left = (timeout - Stopwatch.GetElapsedTime(started)).TotalMilliseconds;
            if (!close.Done.Wait((int)Math.Clamp(left, 0, int.MaxValue)))
            {
                LogAbandoned(logger, close.What);
            }
            else if (close.Error is { } error)
            {
                LogFailed(logger, close.What, error);
            }
        }
    }

    // The two lines every bounded step of a stop writes, said the same way wherever the step runs.
    private static void LogAbandoned(ILogger logger, string what) =>
        logger.LogWarning("Timeout ([plugin_host] shutdown_timeout) reached while {What}; it is abandoned", what);

    private static void LogFailed(ILogger logger, string what, Exception e) =>
        logger.LogError("While stopping, {What} failed: {Message}", what, LogText.Escape(e.Message));

    /// <summary>One driver's close on a background thread of its own, which an abandoned close leaves behind.</summary>
    private sealed class DriverClose
    {
        private DriverClose(string what) => What = what;

        public string What { get; }

        public ManualResetEventSlim Done { get; } = new();

        public Exception? Error { get; private set; }

        public static DriverClose Start(string name, IDatasourceDriver driver)
        {
            var close = new DriverClose($"closing datasource {name}");
            new Thread(() =>
            {
                try
                {
                    driver.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
#pragma warning disable CA1031 // reported by the closing thread, like any failing step
                catch (Exception e)
#pragma warning restore CA1031
                {
                    close.Error = e;
                }
                finally
                {
                    close.Done.Set();
                }
            })
            { IsBackground = true, Name = "driver close" }.Start();
            return close;
        }
    }
}
