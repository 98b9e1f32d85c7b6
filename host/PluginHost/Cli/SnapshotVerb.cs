using System.CommandLine;
using System.Text.Json;
using PluginHost.Outputs;
using PluginHost.Scheduling;

namespace PluginHost.Cli;

/// <summary><c>snapshot</c>: one get_all of every enabled datasource, then the graph.</summary>
internal static class SnapshotVerb
{
    public static Command Create(ConfigArguments config)
    {
        var format = OutputFormat.CreateOption();
        var command = new Command("snapshot", "Run one snapshot of every enabled datasource and print the entity graph. Exit 1 when a datasource failed.")
        {
            format,
        };
        command.SetAction((parseResult, cancellationToken) => VerbExecution.GuardAsync(async () =>
        {
            var (configuration, logging) = VerbExecution.LoadConfiguration(config.LoadFiles(parseResult), requireDatasource: true);
            using (logging)
            {
                await using var scheduler = DatasourceScheduler.Create(configuration, logging, TimeProvider.System, cancellationToken);
                var failed = await scheduler.SnapshotOnceAsync(cancellationToken);
                await WriteGraphAsync(scheduler, parseResult.GetValue(format) == OutputFormat.Json);
                if (failed.Count > 0)
                {
                    await VerbExecution.WriteErrorsAsync(failed.Select(name =>
                        $"datasource {name} failed: {scheduler.Runners.First(r => r.Name == name).LastError}"));
                    return ExitCodes.DatasourceFailed;
                }

                return ExitCodes.Ok;
            }
        }));
        return command;
    }

    private static async Task WriteGraphAsync(DatasourceScheduler scheduler, bool json)
    {
        if (json)
        {
            await using var stdout = Console.OpenStandardOutput();
            await using var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true });
            NodeLinkGraphWriter.Write(writer, scheduler.Graph);
            await writer.FlushAsync();
            await stdout.WriteAsync("\n"u8.ToArray());
        }
        else
        {
            GraphTableRenderer.Write(Console.Out, scheduler.Graph);
        }
    }
}
