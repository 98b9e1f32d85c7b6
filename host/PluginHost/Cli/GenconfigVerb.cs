using System.CommandLine;
using PluginHost.Configuration;
using PluginHost.SampleConfig;

namespace PluginHost.Cli;

/// <summary><c>genconfig</c>: the commented sample config, from every declared option, on stdout.</summary>
internal static class GenconfigVerb
{
    public static Command Create(ConfigArguments config)
    {
        var datasource = new Option<string?>("--datasource")
        {
            Description = "Render only this datasource's section (a plugin's sample.conf).",
        };
        var command = new Command("genconfig", "Print the commented sample configuration for the host and every plugin found.")
        {
            datasource,
        };
        command.SetAction((parseResult, _) => VerbExecution.GuardAsync(async () =>
        {
            var configuration = HostConfigurationLoader.Load(config.LoadFiles(parseResult));
            using var catalog = configuration.Catalog;
            string text;
            if (parseResult.GetValue(datasource) is { } name)
            {
                var plugin = catalog.Find(name) ?? throw new ConfigException(
                    $"--datasource {name}: no such plugin (available: {string.Join(", ", catalog.Plugins.Select(p => p.Name))})");
                text = SampleConfigRenderer.RenderPlugin(plugin);
            }
            else
            {
                text = SampleConfigRenderer.Render(catalog.Plugins);
            }

            await Console.Out.WriteAsync(text);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
