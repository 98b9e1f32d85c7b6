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
            // What run would run: a datasource left out when its driver is created (types empty and
            // no kubeconfig, a plugin that throws) used to be listed as enabled, and the
            // configuration called OK, while run then ran nothing.
            IReadOnlyList<string> running = [];
            try
            {
                running = DatasourceScheduler.Check(configuration, logging, TimeProvider.System);
            }
            catch (ConfigException e)
            {
                errors.AddRange(e.Errors);
            }

            if (configuration.Datasources.Count == 0 && errors.Count == 0)
            {
                errors.Add(VerbExecution.NoDatasourceMessage(configuration));
            }
            else if (running.Count == 0 && errors.Count == 0)
            {
                errors.Add($"no datasource would run: {string.Join(", ", configuration.Datasources.Select(d => d.Name))} left out (see the warnings above)");
            }

            if (errors.Count > 0)
            {
                throw new ConfigException(errors);
            }

            var files = configuration.Files.Count == 0 ? "no config file (defaults)" : string.Join(", ", configuration.Files);
            await Console.Out.WriteLineAsync($"Configuration OK: {files}");
            await Console.Out.WriteLineAsync($"Enabled datasources: {string.Join(", ", running)}");
            foreach (var leftOut in configuration.Datasources.Select(d => d.Name).Except(running))
            {
                await Console.Out.WriteLineAsync($"Left out: {leftOut} (see the warning on standard error)");
            }

            foreach (var warning in configuration.Diagnostics.Warnings)
            {
                await Console.Out.WriteLineAsync($"warning: {warning}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
