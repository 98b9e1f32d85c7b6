using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace PluginHost.Operations;

/// <summary>
/// The service's heartbeat: probes the graph processor every few seconds (<see cref="HostHealth"/>)
/// and, under systemd (Type=notify), says READY=1 once the API listens and every datasource's
/// first snapshot ended, WATCHDOG=1 after each healthy probe (when WatchdogSec is set), and
/// STOPPING=1 when it stops. Without systemd it only probes.
/// </summary>
internal sealed class ServiceMonitor(HostHealth health, ISystemdNotifier notifier, TimeProvider time, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan ReadinessPoll = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WaitUntilStartedAsync(stoppingToken).ConfigureAwait(false);
            var interval = ProbeInterval();
            while (!stoppingToken.IsCancellationRequested)
            {
                if (await health.ProbeAsync(2 * interval, stoppingToken).ConfigureAwait(false) && notifier.IsEnabled && WatchdogInterval() is not null)
                {
                    notifier.Notify(new ServiceState("WATCHDOG=1"));
                }
                else if (health.Liveness() is { Ok: false } unhealthy)
                {
                    logger.LogError("The host is not healthy: {Reasons}", string.Join("; ", unhealthy.Reasons));
                }

                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private async Task WaitUntilStartedAsync(CancellationToken stoppingToken)
    {
        while (!health.FirstSnapshotsEnded)
        {
            await Task.Delay(ReadinessPoll, time, stoppingToken).ConfigureAwait(false);
        }

        if (notifier.IsEnabled)
        {
            notifier.Notify(new ServiceState($"READY=1\nSTATUS=running {health.Scheduler.Runners.Count} datasources"));
            logger.LogInformation("Told systemd the service is ready");
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (notifier.IsEnabled)
        {
            notifier.Notify(ServiceState.Stopping);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    // systemd asks for a keep-alive at least every WatchdogSec: probe at a third of it, at most every 10 s.
    private static TimeSpan ProbeInterval() =>
        WatchdogInterval() is { } watchdog && watchdog / 3 < HostHealth.ProbeInterval ? watchdog / 3 : HostHealth.ProbeInterval;

    private static TimeSpan? WatchdogInterval() =>
        long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), out var microseconds) && microseconds > 0
            ? TimeSpan.FromMicroseconds(microseconds)
            : null;
}
