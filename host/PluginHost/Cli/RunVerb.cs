using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluginHost.Api;
using Microsoft.Extensions.Hosting.Systemd;
using PluginHost.Configuration;
using PluginHost.Operations;
using PluginHost.Scheduling;

namespace PluginHost.Cli;

/// <summary>
/// <c>run</c>: the service. Every datasource on its schedule and the REST API until SIGINT/SIGTERM,
/// then the API stops taking requests while in-flight work is cancelled, what is queued is applied
/// and outputs are flushed, and the exit code is 0 (all within <c>shutdown_timeout</c>). SIGHUP
/// reloads the configuration files.
/// </summary>
internal static class RunVerb
{
    public static Command Create(ConfigArguments config)
    {
        var command = new Command("run", "Run every enabled datasource on its schedule and serve the REST API until stopped (SIGINT/SIGTERM); SIGHUP reloads the configuration.");
        command.SetAction((parseResult, _) => VerbExecution.GuardAsync(async () =>
        {
            var (configuration, logging) = VerbExecution.LoadConfiguration(config.LoadFiles(parseResult), requireDatasource: true);
            using (logging)
            {
                ProcessSignals.ShutdownTimeout = configuration.Host.ShutdownTimeout;
                var logger = logging.CreateLogger("PluginHost");
                if (ProcessSignals.HangupIgnored)
                {
                    logger.LogWarning(
                        "SIGHUP is ignored by this process (it inherited that from whatever started it, as nohup does): kill -HUP will not reload the configuration; start it without nohup (under systemd, ExecReload=/bin/kill -HUP $MAINPID needs nothing else)");
                }

                // One clock for the graph, the health checks and the API: it never goes back (see SteadyClock).
                var clock = SteadyClock.Wrap(TimeProvider.System);
                var scheduler = DatasourceScheduler.Create(configuration, logging, clock,
                    memoryRelease: new MemoryRelease(configuration.Host.ReleaseMemoryBelowMiB, ProcessSignals.Stopping, logger));
                if (ProcessSignals.Stopping.IsCancellationRequested)
                {
                    // Stopped while starting (a slow credential plugin): nothing ran, nothing to flush.
                    await scheduler.DisposeAsync();
                    logger.LogInformation("Stopped before the datasources started");
                    return ExitCodes.Ok;
                }

                var health = new HostHealth(scheduler, clock);
                HostMetrics.Observe(scheduler);
                ApiServer? api = null;
                try
                {
                    // Before the datasources start: a port already taken stops the host at once (exit 2).
                    api = configuration.Host.Api.Enabled
                        ? await ApiServer.StartAsync(configuration.Host.Api, health, logging, clock, ProcessSignals.Stopping,
                            configuration.Host.History is { } history ? new History.AlarmHistoryReader(history.DatabasePath) : null)
                        : null;
                }
                catch
                {
                    await scheduler.DisposeAsync();
                    throw;
                }

                IReadOnlyList<string> faulted;
                await using (api)
                {
                    var reloader = new ConfigurationReloader(() => config.LoadFiles(parseResult), configuration.Catalog, scheduler,
                        logging.CreateLogger("PluginHost.Configuration"));
                    var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
                    builder.Services.AddSingleton(logging);
                    builder.Services.AddSingleton<IHostLifetime, SignalsOwnedLifetime>();

                    // Stopping runs all at once, so the whole stop stays within shutdown_timeout.
                    builder.Services.Configure<HostOptions>(o =>
                    {
                        o.ServicesStopConcurrently = true;
                        o.ShutdownTimeout = configuration.Host.ShutdownTimeout;
                    });
                    builder.Services.AddHostedService(_ => new SchedulerService(scheduler));
                    builder.Services.AddHostedService(_ => reloader);
                    builder.Services.AddHostedService(_ => new ServiceMonitor(health, new SystemdNotifier(), clock, logging.CreateLogger("PluginHost.Service")));
                    if (api is not null)
                    {
                        builder.Services.AddHostedService(_ => new ApiService(api, configuration.Host.ShutdownTimeout));
                    }

                    using var host = builder.Build();
                    faulted = await FaultedServices.RunAsync(host, ProcessSignals.Stopping);
                }

                if (scheduler.ProcessorFailed)
                {
                    logger.LogCritical("Stopped because the graph processor failed");
                    return ExitCodes.DatasourceFailed;
                }

                if (faulted.Count > 0)
                {
                    logger.LogCritical("Stopped because {Services} failed (its error is logged above)", string.Join(", ", faulted));
                    return ExitCodes.DatasourceFailed;
                }

                logger.LogInformation("Stopped");
                return ExitCodes.Ok;
            }
        }, interruptedExitCode: ExitCodes.Ok));
        return command;
    }

    /// <summary>Hosts the scheduler; stopping cancels the datasources and drains the queue.</summary>
    private sealed class SchedulerService(DatasourceScheduler scheduler) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => scheduler.RunAsync(stoppingToken);

        public override async Task StopAsync(CancellationToken cancellationToken)
        {
            await base.StopAsync(cancellationToken);
            await scheduler.DisposeAsync();
        }
    }

    /// <summary>Stops the API (already started): requests in flight get until shutdown_timeout.</summary>
    private sealed class ApiService(ApiServer api, TimeSpan shutdownTimeout) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(shutdownTimeout);
            await api.StopAsync(deadline.Token);
        }
    }

    /// <summary>Signals are <see cref="ProcessSignals"/>'; the generic host must not take them (nor print its banner).</summary>
    private sealed class SignalsOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
