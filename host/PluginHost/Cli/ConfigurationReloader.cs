using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluginHost.Configuration;
using PluginHost.Plugins;
using PluginHost.Scheduling;

namespace PluginHost.Cli;

/// <summary>
/// SIGHUP, as oslo services do it: the configuration files are read again and what can change at
/// run time is applied (see <see cref="DatasourceScheduler.ReloadAsync"/>); each change is logged,
/// and so is what needs a restart. A configuration that no longer validates is logged and the
/// running one kept. Reloads never overlap; signals that arrive during one are coalesced.
/// </summary>
internal sealed class ConfigurationReloader(
    Func<ConfigFileSet> readFiles, PluginCatalog plugins, DatasourceScheduler scheduler, ILogger logger) : BackgroundService
{
    private readonly SemaphoreSlim _requested = new(0, 1);

    /// <summary>Reloads done so far (tests wait on it).</summary>
    public int Completed { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ProcessSignals.Hangup += RequestReload;
        try
        {
            while (true)
            {
                await _requested.WaitAsync(stoppingToken).ConfigureAwait(false);
                await ReloadAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        finally
        {
            ProcessSignals.Hangup -= RequestReload;
        }
    }

    /// <summary>What SIGHUP does (tests call it directly: a real SIGHUP would end a test run).</summary>
    internal void RequestReload()
    {
        try
        {
            _requested.Release();
        }
        catch (SemaphoreFullException)
        {
            // a reload is already requested
        }
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        HostLogging.Reopen(); // logrotate moved the file: write to a new one
        logger.LogInformation("SIGHUP: log file reopened; reloading the configuration");
        HostConfiguration next;
        try
        {
            next = HostConfigurationLoader.Load(readFiles(), plugins);
            if (next.Datasources.Count == 0)
            {
                throw new ConfigException("no datasource would be enabled");
            }
        }
        catch (ConfigException e)
        {
            foreach (var error in e.Errors)
            {
                logger.LogError("Reload refused, the running configuration is kept: {Error}", error);
            }

            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not a validation error: something the readers did not foresee (a TimeSpan overflow, an
            // index out of range in a file with odd line endings were such). Thrown out of here, it
            // stopped the generic host and run exited 0, which systemd's Restart=on-failure leaves
            // down: a reload must never end the service.
            logger.LogError("Reload refused, the running configuration is kept: the configuration could not be read ({Type}: {Message})",
                e.GetType().Name, Logging.LogText.Escape(e.Message));
            return;
        }

        HostLogging.Report(next.Diagnostics, logger);
        var changes = await scheduler.ReloadAsync(next, cancellationToken).ConfigureAwait(false);
        if (changes.Count == 0)
        {
            logger.LogInformation("Configuration reloaded: nothing changed");
        }

        foreach (var change in changes)
        {
            logger.LogInformation("Configuration reloaded: {Change}", change);
        }

        Completed++;
    }

    public override void Dispose()
    {
        _requested.Dispose();
        base.Dispose();
    }
}
