using System.CommandLine;
using PluginHost.Scheduling;

namespace PluginHost.Cli;

/// <summary>
/// <c>check-config</c>: loads the files, validates every option and creates every enabled
/// datasource's driver (which checks kubeconfigs and the like) without polling anything.
/// </summary>
internal static class CheckConfigVerb
{
    public static Command Create(ConfigArguments config)
    {
        var command = new Command("check-config", "Validate the configuration and the datasources' settings; exit 2 with every problem found.");
        command.SetAction((parseResult, _) => VerbExecution.GuardAsync(async () =>
        {
            var (configuration, logging) = VerbExecution.LoadConfiguration(config.LoadFiles(parseResult), requireDatasource: true);
            using (logging)
            {
                await using (DatasourceScheduler.Create(configuration, logging, TimeProvider.System, writeOutputs: false))
                {
                }

                var files = configuration.Files.Count == 0 ? "no config file (defaults)" : string.Join(", ", configuration.Files);
                await Console.Out.WriteLineAsync($"Configuration OK: {files}");
                await Console.Out.WriteLineAsync($"Enabled datasources: {(configuration.Datasources.Count == 0 ? "none" : string.Join(", ", configuration.Datasources.Select(d => d.Name)))}");
                foreach (var warning in configuration.Diagnostics.Warnings)
                {
                    await Console.Out.WriteLineAsync($"warning: {warning}");
                }

                return ExitCodes.Ok;
            }
        }));
        return command;
    }
}
