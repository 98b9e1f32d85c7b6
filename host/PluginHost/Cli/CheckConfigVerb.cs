using System.CommandLine;
using PluginHost.Configuration;
using PluginHost.Scheduling;

namespace PluginHost.Cli;

/// <summary>
/// <c>check-config</c>: loads the files, validates every option and creates every enabled
/// datasource's driver (which checks kubeconfigs, folders and the like) without polling anything,
/// reporting every problem in one run: a second run never shows more.
/// </summary>
internal static class CheckConfigVerb
{
    public static Command Create(ConfigArguments config)
    {
        var command = new Command("check-config", "Validate the configuration and the datasources' settings; exit 2 with every problem found.");
        command.SetAction((parseResult, _) => VerbExecution.GuardAsync(async () =>
        {
            YamlWarmUp.Start();
            var configuration = HostConfigurationLoader.Load(config.LoadFiles(parseResult), loadedPlugins: null, throwOnErrors: false);
            var errors = configuration.Diagnostics.Errors.ToList();
            using var logging = HostLogging.Create(configuration.Host.Logging);
            HostLogging.Report(configuration.Diagnostics, logging.CreateLogger("PluginHost.Configuration"));
            try
            {
                DatasourceScheduler.Check(configuration, logging, TimeProvider.System);
            }
            catch (ConfigException e)
            {
                errors.AddRange(e.Errors);
            }

            if (configuration.Datasources.Count == 0 && errors.Count == 0)
            {
                errors.Add(VerbExecution.NoDatasourceMessage(configuration));
            }

            if (errors.Count > 0)
            {
                throw new ConfigException(errors);
            }

            var files = configuration.Files.Count == 0 ? "no config file (defaults)" : string.Join(", ", configuration.Files);
            await Console.Out.WriteLineAsync($"Configuration OK: {files}");
            await Console.Out.WriteLineAsync($"Enabled datasources: {string.Join(", ", configuration.Datasources.Select(d => d.Name))}");
            foreach (var warning in configuration.Diagnostics.Warnings)
            {
                await Console.Out.WriteLineAsync($"warning: {warning}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
