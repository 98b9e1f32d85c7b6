using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluginHost.Configuration;
using PluginHost.Scheduling;

namespace PluginHost.Cli;

/// <summary>
/// <c>run</c>: the service. Every datasource on its schedule until SIGINT/SIGTERM, then in-flight
/// work is cancelled, what is queued is applied, outputs are flushed, and the exit code is 0
/// (all within <c>shutdown_timeout</c>). SIGHUP reloads the configuration files.
/// </summary>
internal static class RunVerb
{
    public static Command Create(ConfigArguments config)
    {
        var command = new Command("run", "Run every enabled datasource on its schedule until stopped (SIGINT/SIGTERM); SIGHUP reloads the configuration.");
        command.SetAction((parseResult, _) => VerbExecution.GuardAsync(async () =>
        {
            var (configuration, logging) = VerbExecution.LoadConfiguration(config.LoadFiles(parseResult), requireDatasource: true);
            using (logging)
            {
                ProcessSignals.ShutdownTimeout = configuration.Host.ShutdownTimeout;
                var logger = logging.CreateLogger("PluginHost");
                var scheduler = DatasourceScheduler.Create(configuration, logging, TimeProvider.System);
                if (ProcessSignals.Stopping.IsCancellationRequested)
                {
                    // Stopped while starting (a slow credential plugin): nothing ran, nothing to flush.
                    await scheduler.DisposeAsync();
                    logger.LogInformation("Stopped before the datasources started");
                    return ExitCodes.Ok;
                }

                var reloader = new ConfigurationReloader(() => config.LoadFiles(parseResult), configuration.Catalog, scheduler,
                    logging.CreateLogger("PluginHost.Configuration"));
                var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
                builder.Services.AddSingleton(logging);
                builder.Services.AddSingleton<IHostLifetime, SignalsOwnedLifetime>();
                builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = configuration.Host.ShutdownTimeout);
                builder.Services.AddHostedService(_ => new SchedulerService(scheduler));
                builder.Services.AddHostedService(_ => reloader);
                using var host = builder.Build();
                await host.RunAsync(ProcessSignals.Stopping);
                if (scheduler.ProcessorFailed)
                {
                    logger.LogCritical("Stopped because the graph processor failed");
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

    /// <summary>Signals are <see cref="ProcessSignals"/>'; the generic host must not take them (nor print its banner).</summary>
    private sealed class SignalsOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
