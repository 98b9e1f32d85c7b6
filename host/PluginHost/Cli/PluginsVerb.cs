using System.CommandLine;
using System.Text.Json;
using PluginHost.Configuration;
using PluginHost.Contracts;
using PluginHost.Logging;
using PluginHost.Plugins;

namespace PluginHost.Cli;

/// <summary><c>plugins</c>: what was found in the plugin path, with versions, folders and options.</summary>
internal static class PluginsVerb
{
    public static Command Create(ConfigArguments config)
    {
        var format = OutputFormat.CreateOption();
        var command = new Command("plugins", "List the datasource plugins found: name, version, folder, entity types and options.")
        {
            format,
        };
        command.SetAction((parseResult, _) => VerbExecution.GuardAsync(async () =>
        {
            var configuration = HostConfigurationLoader.Load(config.LoadFiles(parseResult));
            using var catalog = configuration.Catalog;
            // A plugin runs as one datasource, or as several instances (kubernetes/prod-a, ...): name them.
            var datasources = configuration.Datasources.ToLookup(d => d.Plugin.Name, d => d.Name, StringComparer.OrdinalIgnoreCase);
            var entityTypes = EntityTypes(configuration, catalog.Plugins);
            if (parseResult.GetValue(format) == OutputFormat.Json)
            {
                var document = new
                {
                    plugin_path = catalog.SearchedFolders,
                    plugins = catalog.Plugins.Select(p => new
                    {
                        name = p.Name,
                        version = p.Version,
                        folder = p.Folder,
                        enabled = datasources.Contains(p.Name),
                        datasources = datasources[p.Name],
                        entity_types = entityTypes[p.Name],
                        options = HostOptionCatalog.DatasourceOptions(p.Instance, (long)configuration.Host.SnapshotsInterval.TotalSeconds)
                            .Select(o => new { name = o.Name, type = OptionValueParser.Describe(o), @default = o.Default, help = o.Help, secret = o.Secret }),
                    }),
                    errors = catalog.Errors.Select(e => new { path = e.Path, message = e.Message }),
                };
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                await Console.Out.WriteLineAsync($"Plugin path: {string.Join(", ", catalog.SearchedFolders)}");
                foreach (var plugin in catalog.Plugins)
                {
                    await Console.Out.WriteLineAsync();
                    await Console.Out.WriteLineAsync($"{plugin.Name} {plugin.Version}{Enabled(datasources[plugin.Name].ToList(), plugin.Name)}");
                    await Console.Out.WriteLineAsync($"  folder: {plugin.Folder}");
                    await Console.Out.WriteLineAsync($"  entity types: {string.Join(", ", entityTypes[plugin.Name])}");
                    await Console.Out.WriteLineAsync("  options:");
                    foreach (var option in HostOptionCatalog.DatasourceOptions(plugin.Instance, (long)configuration.Host.SnapshotsInterval.TotalSeconds))
                    {
                        await Console.Out.WriteLineAsync($"    {option.Name} = {option.Default} ({OptionValueParser.Describe(option)})");
                    }
                }

                foreach (var error in catalog.Errors)
                {
                    await Console.Out.WriteLineAsync();
                    await Console.Out.WriteLineAsync($"failed to load: {error}");
                }
            }

            // An install without plugins cannot do anything: say so in the exit code too.
            if (catalog.Plugins.Count == 0)
            {
                await VerbExecution.WriteErrorsAsync([$"no plugin was found in {string.Join(", ", catalog.SearchedFolders)}"]);
                return ExitCodes.BadConfiguration;
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Enabled(List<string> datasources, string plugin) => datasources switch
    {
        [] => " (not enabled)",
        [var single] when single == plugin => " (enabled)",
        _ => $" (enabled: {string.Join(", ", datasources)})",
    };

    /// <summary>
    /// Each plugin's entity types, before anything is written: a transformer that cannot be made (an
    /// operator's alarms_file with an error) is a configuration error, exit 2 naming the file and line,
    /// not a stack trace after half a listing.
    /// </summary>
    private static Dictionary<string, List<string>> EntityTypes(HostConfiguration configuration, IReadOnlyList<LoadedPlugin> plugins)
    {
        var types = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        foreach (var plugin in plugins)
        {
            try
            {
                types[plugin.Name] = plugin.Instance.CreateTransformers(configuration.PluginSettings[plugin.Name]).Keys.Order(StringComparer.Ordinal).ToList();
            }
            catch (DatasourceConfigurationException e)
            {
                errors.Add($"[{plugin.Name}] {LogText.Escape(e.Message)}");
            }
        }

        return errors.Count == 0 ? types : throw new ConfigException(errors);
    }
}
