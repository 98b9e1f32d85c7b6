using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluginHost.Scheduling;

namespace PluginHost.Cli;

/// <summary>
/// <c>run</c>: the service. Every datasource on its schedule until SIGINT/SIGTERM, then in-flight
/// work is cancelled, what is queued is applied, outputs are flushed, and the exit code is 0.
/// </summary>
internal static class RunVerb
{
    public static Command Create(ConfigArguments config)
    {
        var command = new Command("run", "Run every enabled datasource on its schedule until stopped (SIGINT/SIGTERM).");
        command.SetAction((parseResult, cancellationToken) => VerbExecution.GuardAsync(async () =>
        {
            var (configuration, logging) = VerbExecution.LoadConfiguration(config.LoadFiles(parseResult), requireDatasource: true);
            using (logging)
            {
                var scheduler = DatasourceScheduler.Create(configuration, logging, TimeProvider.System);
                var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
                builder.Services.AddSingleton(logging);
                builder.Services.AddHostedService(_ => new SchedulerService(scheduler));
                using var host = builder.Build();
                await host.RunAsync(cancellationToken);
                logging.CreateLogger("PluginHost").LogInformation("Stopped");
                return ExitCodes.Ok;
            }
        }));
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
}
