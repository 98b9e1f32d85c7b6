using PluginHost.Contracts;
using PluginHost.Plugins;

namespace PluginHost.Configuration;

/// <summary>
/// Turns config files into a <see cref="HostConfiguration"/>: host sections first (they say where
/// plugins are), then the plugins, then each enabled datasource's section against the options its
/// plugin declares. Every problem is collected so one run shows them all.
/// </summary>
internal static class HostConfigurationLoader
{
    public static string DefaultPluginFolder => Path.Combine(AppContext.BaseDirectory, "plugins");

    public static HostConfiguration Load(ConfigFileSet files)
    {
        var diagnostics = new ConfigDiagnostics();
        var host = BindHost(files, diagnostics);
        diagnostics.ThrowIfErrors();

        var catalog = PluginCatalog.Discover(host.PluginPaths);
        try
        {
            var datasources = BindDatasources(files, host, catalog, diagnostics);
            ReportUnknownSections(files, datasources, diagnostics);
            diagnostics.ThrowIfErrors();
            return new HostConfiguration(files.Files, host, catalog, datasources, diagnostics);
        }
        catch
        {
            catalog.Dispose();
            throw;
        }
    }

    private static HostSettings BindHost(ConfigFileSet files, ConfigDiagnostics diagnostics)
    {
        var ds = SectionBinder.Bind(files, HostOptionCatalog.DatasourcesSection, HostOptionCatalog.Datasources, diagnostics);
        var ph = SectionBinder.Bind(files, HostOptionCatalog.PluginHostSection, HostOptionCatalog.PluginHost, diagnostics);
        var pluginPathOrigin = files.Get(HostOptionCatalog.DatasourcesSection, "plugin_path")?.Location.File;
        var baseFolder = pluginPathOrigin is null ? AppContext.BaseDirectory : Path.GetDirectoryName(pluginPathOrigin)!;
        var pluginPaths = ((IReadOnlyList<string>)ds["plugin_path"]!)
            .Select(p => pluginPathOrigin is null && p == "plugins" ? DefaultPluginFolder : Path.GetFullPath(p, baseFolder))
            .ToList();

        static string? Optional(object? value) => value is string { Length: > 0 } s ? s : null;
        var retryInitial = TimeSpan.FromSeconds((long)ph["retry_initial_delay"]!);
        var retryMax = TimeSpan.FromSeconds((long)ph["retry_max_delay"]!);
        return new HostSettings
        {
            EnabledTypes = (IReadOnlyList<string>)ds["types"]!,
            PluginPaths = pluginPaths,
            SnapshotsInterval = TimeSpan.FromSeconds((long)ds[HostOptionCatalog.SnapshotsInterval]!),
            GraphFile = Optional(ph["graph_file"]),
            EventLog = Optional(ph["event_log"]),
            QueueCapacity = (int)(long)ph["queue_capacity"]!,
            DeletedEntityRetention = TimeSpan.FromSeconds((long)ph["deleted_entity_retention"]!),
            RetryInitialDelay = retryInitial,
            RetryMaxDelay = retryMax < retryInitial ? retryInitial : retryMax,
            LogLevel = (string)ph["log_level"]!,
        };
    }

    private static List<DatasourceConfiguration> BindDatasources(
        ConfigFileSet files, HostSettings host, PluginCatalog catalog, ConfigDiagnostics diagnostics)
    {
        var enabled = new List<LoadedPlugin>();
        if (host.EnabledTypes.Count == 0)
        {
            enabled.AddRange(catalog.Plugins);
            foreach (var error in catalog.Errors)
            {
                diagnostics.Warning($"plugin skipped: {error}");
            }
        }
        else
        {
            var typesOrigin = files.Get(HostOptionCatalog.DatasourcesSection, "types")?.Location;
            foreach (var type in host.EnabledTypes.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var plugin = catalog.Find(type);
                if (plugin is not null)
                {
                    enabled.Add(plugin);
                    continue;
                }

                var available = catalog.Plugins.Count == 0 ? "none" : string.Join(", ", catalog.Plugins.Select(p => p.Name));
                var failures = catalog.Errors.Count == 0 ? string.Empty
                    : "; plugins that failed to load: " + string.Join("; ", catalog.Errors);
                diagnostics.Error(
                    $"{typesOrigin}: [datasources] types names '{type}', but no such plugin was found in {string.Join(", ", host.PluginPaths)} (available: {available}){failures}");
            }
        }

        var result = new List<DatasourceConfiguration>();
        foreach (var plugin in enabled)
        {
            var options = HostOptionCatalog.DatasourceOptions(plugin.Instance, (long)host.SnapshotsInterval.TotalSeconds);
            var values = SectionBinder.Bind(files, plugin.Name, options, diagnostics);
            var updateMethod = (string?)values[HostOptionCatalog.UpdateMethodOption] switch
            {
                "pull" => UpdateMethod.Pull,
                "push" => UpdateMethod.Push,
                _ => UpdateMethod.None,
            };
            result.Add(new DatasourceConfiguration(
                plugin,
                new DatasourceSettings(values),
                TimeSpan.FromSeconds((long)values[HostOptionCatalog.SnapshotsInterval]!),
                updateMethod,
                TimeSpan.FromSeconds((long)values[HostOptionCatalog.ChangesInterval]!)));
        }

        return result;
    }

    private static void ReportUnknownSections(
        ConfigFileSet files, IReadOnlyList<DatasourceConfiguration> datasources, ConfigDiagnostics diagnostics)
    {
        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            HostOptionCatalog.DatasourcesSection,
            HostOptionCatalog.PluginHostSection,
        };
        known.UnionWith(datasources.Select(d => d.Name));
        foreach (var section in files.SectionNames.Where(s => !known.Contains(s)))
        {
            diagnostics.Info($"section [{section}] is not used by the host or an enabled datasource; it is ignored");
        }
    }
}
