using System.CommandLine;
using System.Text.Json;
using PluginHost.Graph;
using PluginHost.Outputs;
using PluginHost.Scheduling;

namespace PluginHost.Cli;

/// <summary><c>snapshot</c>: one get_all of every enabled datasource, then the graph.</summary>
internal static class SnapshotVerb
{
    public static Command Create(ConfigArguments config)
    {
        var format = OutputFormat.CreateOption();
        var writeOutputs = new Option<bool>("--write-outputs")
        {
            Description = "Also write the configured outputs (graph_file, event_log, notifications, the alarm history). Without it, snapshot only prints, so an ad-hoc run never replaces a running service's files.",
        };
        var command = new Command("snapshot", "Run one snapshot of every enabled datasource and print the entity graph. Exit 1 when a datasource failed.")
        {
            format, writeOutputs,
        };
        command.SetAction((parseResult, _) => VerbExecution.GuardAsync(async () =>
        {
            Operations.HostMetrics.WithoutProcessMetrics();
            var (configuration, logging) = VerbExecution.LoadConfiguration(config.LoadFiles(parseResult), requireDatasource: true);
            using (logging)
            {
                // Nothing reads the graph before the snapshot ends: one version, at the end.
                await using var scheduler = DatasourceScheduler.Create(configuration, logging, TimeProvider.System, parseResult.GetValue(writeOutputs),
                    publishWhileSnapshotsOpen: false);
                var failed = await scheduler.SnapshotOnceAsync(ProcessSignals.Stopping);
                await WriteGraphAsync(scheduler, parseResult.GetValue(format) == OutputFormat.Json);
                var errors = failed.Select(name => $"datasource {name} failed: {scheduler.Runners.First(r => r.Name == name).Status.Current.LastError}").ToList();

                // The outputs get their last chance here; one that still fails is this run's failure too.
                using (var flush = new CancellationTokenSource(configuration.Host.ShutdownTimeout))
                {
                    foreach (var output in scheduler.Outputs)
                    {
                        await output.FlushAsync(flush.Token);
                    }
                }

                errors.AddRange(scheduler.Outputs.Where(o => o.LastError is not null).Select(o => $"output {o.Name} failed: {o.LastError}"));
                if (errors.Count > 0)
                {
                    await VerbExecution.WriteErrorsAsync(errors);
                    return ExitCodes.DatasourceFailed;
                }

                return ExitCodes.Ok;
            }
        }));
        return command;
    }

    private static async Task WriteGraphAsync(DatasourceScheduler scheduler, bool json)
    {
        try
        {
            await WriteGraphToStandardOutputAsync(scheduler, json);
        }
        catch (Exception e) when (StandardOutputException.IsWriteFailure(e))
        {
            // Only standard output is written here: its stream is not the guarded Console.Out.
            throw new StandardOutputException(e);
        }
    }

    private static async Task WriteGraphToStandardOutputAsync(DatasourceScheduler scheduler, bool json)
    {
        if (json)
        {
            // Indented for a person at a terminal; compact when piped or redirected, where a program
            // reads it (jq, a file): a third fewer bytes to write and parse for the same JSON.
            await using var console = Console.OpenStandardOutput();
            await using var stdout = new SynchronousWriteStream(console);
            var options = new JsonWriterOptions { Indented = !Console.IsOutputRedirected };
            var graph = Subgraph.AllLive(scheduler.Versions.Current);
            if (options.Indented || graph.Nodes.Count < ParallelNodeLinkWriter.MinVertices)
            {
                await using var writer = new Utf8JsonWriter(stdout, options);
                await NodeLinkGraphWriter.WriteAsync(writer, graph, CancellationToken.None);
                await writer.FlushAsync();
            }
            else
            {
                // A large graph, and the caller waits for all of it: both cores turn it into JSON.
                await ParallelNodeLinkWriter.WriteAsync(stdout, graph, options, CancellationToken.None);
            }

            await stdout.WriteAsync("\n"u8.ToArray());
        }
        else
        {
            GraphTableRenderer.Write(Console.Out, scheduler.Versions.Current);
        }
    }
}
