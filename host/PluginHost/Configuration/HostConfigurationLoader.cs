using PluginHost.Contracts;
using PluginHost.Logging;
using PluginHost.Outputs.Notifications;
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

    /// <summary>
    /// Loads and validates <paramref name="files"/>. A reload passes the running host's
    /// <paramref name="loadedPlugins"/>: plugins are loaded once per process.
    /// </summary>
    public static HostConfiguration Load(ConfigFileSet files, PluginCatalog? loadedPlugins = null) =>
        Load(files, loadedPlugins, throwOnErrors: true);

    /// <summary>
    /// Like <see cref="Load(ConfigFileSet, PluginCatalog?)"/>, but with <paramref name="throwOnErrors"/>
    /// false the errors stay in <see cref="HostConfiguration.Diagnostics"/> and the datasources
    /// whose sections are valid are returned, so <c>check-config</c> can go on to create their
    /// drivers and report everything in one run.
    /// </summary>
    public static HostConfiguration Load(ConfigFileSet files, PluginCatalog? loadedPlugins, bool throwOnErrors)
    {
        var diagnostics = new ConfigDiagnostics();
        var host = BindHost(files, diagnostics);

        // Host errors do not stop here: the datasources' sections are checked too, so one run
        // reports every problem.
        var catalog = loadedPlugins ?? PluginCatalog.Discover(host.PluginPaths);
        try
        {
            var (datasources, pluginSettings, pluginValues) = BindDatasources(files, host, catalog, diagnostics);
            ReportUnknownSections(files, catalog, host.Api, diagnostics);
            if (throwOnErrors)
            {
                diagnostics.ThrowIfErrors();
            }

            return new HostConfiguration(files.Files, host, catalog, datasources, pluginSettings, pluginValues, diagnostics);
        }
        catch
        {
            if (loadedPlugins is null)
            {
                catalog.Dispose();
            }

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
            ShutdownTimeout = TimeSpan.FromSeconds((long)ph["shutdown_timeout"]!),
            ReleaseMemoryBelowMiB = (long)ph["release_memory_below"]!,
            Logging = BindLogging(files, (string)ph["log_level"]!, diagnostics),
            Notifications = BindNotifications(files, ph, diagnostics),
            Api = ApiSettingsLoader.Bind(files, diagnostics),
            DatasourcesValuesDir = (string)SectionBinder.Bind(files, DatabaseOptionCatalog.EntityGraphSection, DatabaseOptionCatalog.EntityGraph,
                diagnostics, warnOnUnknownKeys: false)[DatabaseOptionCatalog.DatasourcesValuesDir.Name]!,
            History = HistorySettingsLoader.Bind(files, HistorySettingsLoader.StateDir((string)ph["state_dir"]!), diagnostics),
        };
    }

    /// <summary>[DEFAULT] holds OpenStack's common options: the notification output's and oslo.log's.</summary>
    public static IReadOnlyList<OptionDefinition> DefaultSectionOptions { get; } = [.. NotificationOptionCatalog.Default, .. LoggingOptionCatalog.Options];

    private static Logging.LogSettings BindLogging(ConfigFileSet files, string logLevel, ConfigDiagnostics diagnostics)
    {
        var values = SectionBinder.Bind(files, NotificationOptionCatalog.DefaultSection, DefaultSectionOptions, new ConfigDiagnostics(), warnOnUnknownKeys: false);
        var dateFormat = (string)values["log_date_format"]!;
        if (Logging.PythonDateFormat.ToDotNet(dateFormat, out var unsupported) is null)
        {
            var where = files.Get(NotificationOptionCatalog.DefaultSection, "log_date_format")?.Location.ToString() ?? "(config)";
            diagnostics.Error($"{where}: [DEFAULT] log_date_format = {SecretNames.QuoteValue(dateFormat)}: {unsupported} is not supported (use %Y %y %m %d %H %I %M %S %f %p %b %B %a %A %z)");
        }

        var logDir = Optional(values["log_dir"]);
        var logFile = Optional(values["log_file"]);
        var file = (logDir, logFile) switch
        {
            (null, null) => null,
            (null, { } f) => f,
            ({ } d, null) => Path.Combine(d, "pluginhost.log"),
            ({ } d, { } f) => Path.Combine(d, f),
        };
        return new Logging.LogSettings(
            (bool)values["debug"]! ? Microsoft.Extensions.Logging.LogLevel.Debug : Cli.HostLogging.Parse(logLevel),
            file,
            (bool)values["use_journal"]!,
            (bool)values["use_json"]!,
            dateFormat);
    }

    private static NotificationSettings? BindNotifications(ConfigFileSet files, Dictionary<string, object?> host, ConfigDiagnostics diagnostics)
    {
        var defaults = SectionBinder.Bind(files, NotificationOptionCatalog.DefaultSection, DefaultSectionOptions, diagnostics, warnOnUnknownKeys: false);
        var notifications = SectionBinder.Bind(files, NotificationOptionCatalog.NotificationsSection, NotificationOptionCatalog.Notifications, diagnostics, warnOnUnknownKeys: false);
        var rabbit = SectionBinder.Bind(files, NotificationOptionCatalog.RabbitSection, NotificationOptionCatalog.Rabbit, diagnostics, warnOnUnknownKeys: false);
        if ((string?)notifications["driver"] != "messagingv2")
        {
            return null;
        }

        var urlText = (string)defaults["transport_url"]!;
        var where = files.Get(NotificationOptionCatalog.DefaultSection, "transport_url")?.Location.ToString()
            ?? files.Get(NotificationOptionCatalog.NotificationsSection, "driver")?.Location.ToString() ?? "(config)";
        TransportUrl transport;
        try
        {
            transport = TransportUrl.Parse(urlText);
        }
        catch (FormatException e)
        {
            diagnostics.Error(urlText.Length == 0
                ? $"{where}: [oslo_messaging_notifications] driver = messagingv2 needs [DEFAULT] transport_url (rabbit://user:password@host:5672/vhost)"
                : $"{where}: [DEFAULT] transport_url = '***': {e.Message}");
            return null;
        }

        static bool Flag(IReadOnlyDictionary<string, string> query, string name, bool fallback) =>
            query.TryGetValue(name, out var text) ? text is "true" or "1" or "yes" or "True" : fallback;
        var hostName = Optional(defaults["host"]) ?? Environment.MachineName;
        return new NotificationSettings(
            transport,
            (string)defaults["control_exchange"]!,
            $"plugin_host.{hostName}",
            (IReadOnlyList<string>)notifications["topics"]!,
            Flag(transport.Query, "amqp_durable_queues", (bool)rabbit["amqp_durable_queues"]!),
            Flag(transport.Query, "amqp_auto_delete", (bool)rabbit["amqp_auto_delete"]!),
            Flag(transport.Query, "ssl", (bool)rabbit["ssl"]!),
            Optional(rabbit["ssl_ca_file"]),
            Optional(rabbit["ssl_cert_file"]),
            Optional(rabbit["ssl_key_file"]),
            (int)(long)host["notification_buffer"]!,
            TimeSpan.FromSeconds((long)host["notification_flush_timeout"]!),
            TimeSpan.FromSeconds((long)host["notification_full_wait"]!));
    }

    // An unset string option is an empty string; callers want null for "not set".
    private static string? Optional(object? value) => value is string { Length: > 0 } s ? s : null;

    private static (List<DatasourceConfiguration>, Dictionary<string, DatasourceSettings>, Dictionary<string, IReadOnlyDictionary<string, object?>>) BindDatasources(
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
            var available = catalog.Plugins.Count == 0 ? "none" : string.Join(", ", catalog.Plugins.Select(p => p.Name));
            var vitragesOnly = new List<string>();
            foreach (var type in host.EnabledTypes.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var plugin = catalog.Find(type);
                if (plugin is not null)
                {
                    enabled.Add(plugin);
                    continue;
                }

                if (VitrageDatasourceNames.IsVitragesOnly(type))
                {
                    vitragesOnly.Add(type);
                    continue;
                }

                var failures = catalog.Errors.Count == 0 ? string.Empty
                    : "; plugins that failed to load: " + string.Join("; ", catalog.Errors);
                // A type that is no name may be a password: a wrapped transport_url line continues
                // the value above it (oslo's continuation lines).
                var named = SecretNames.IsPrintableKey(type) ? $"'{type}'" : "an entry that is not a plugin name (its text is not shown: it may hold a secret)";
                diagnostics.Error(
                    $"{typesOrigin}: [datasources] types names {named}, but no such plugin was found in {string.Join(", ", host.PluginPaths)} (available: {available}){failures}");
            }

            if (vitragesOnly.Count > 0)
            {
                // Left out, not refused: the operator's vitrage.conf loads, and says once what this host does not cover.
                diagnostics.Warning(
                    $"{typesOrigin}: [datasources] types names Vitrage's {string.Join(", ", vitragesOnly)}, which no plugin in {string.Join(", ", host.PluginPaths)} provides: left out");
            }

            if (enabled.Count == 0 && vitragesOnly.Count > 0 && diagnostics.Errors.Count == 0)
            {
                diagnostics.Error($"{typesOrigin}: [datasources] types names no datasource a plugin here provides (available: {available})");
            }
        }

        var result = new List<DatasourceConfiguration>();
        var pluginSettings = new Dictionary<string, DatasourceSettings>(StringComparer.OrdinalIgnoreCase);
        var pluginValues = new Dictionary<string, IReadOnlyDictionary<string, object?>>(StringComparer.OrdinalIgnoreCase);
        foreach (var plugin in catalog.Plugins)
        {
            var isEnabled = enabled.Contains(plugin);
            var options = HostOptionCatalog.DatasourceOptions(plugin.Instance, (long)host.SnapshotsInterval.TotalSeconds);

            // A plugin that is not enabled still transforms events relayed to this host; a mistake in
            // its section is worth a warning, not a refusal to start.
            var sectionDiagnostics = isEnabled ? diagnostics : new ConfigDiagnostics();
            var errorsBefore = diagnostics.Errors.Count;
            var values = SectionBinder.Bind(files, plugin.Name, options, sectionDiagnostics, warnOnUnknownKeys: isEnabled, resolveRelativePaths: true);
            if (!isEnabled)
            {
                foreach (var error in sectionDiagnostics.Errors)
                {
                    diagnostics.Warning($"{error} (datasource {plugin.Name} is not enabled; its transformer uses the default)");
                }

                values = SectionBinder.Bind(ConfigFileSet.FromValues([]), plugin.Name, options, new ConfigDiagnostics());
            }

            var settings = new DatasourceSettings(values);
            pluginSettings[plugin.Name] = settings;
            pluginValues[plugin.Name] = values;
            if (!isEnabled || diagnostics.Errors.Count > errorsBefore)
            {
                continue; // an invalid section gets no driver: its errors say enough
            }

            var updateMethod = (string?)values[HostOptionCatalog.UpdateMethodOption] switch
            {
                "pull" => UpdateMethod.Pull,
                "push" => UpdateMethod.Push,
                _ => UpdateMethod.None,
            };
            var template = new DatasourceConfiguration(
                plugin,
                settings,
                TimeSpan.FromSeconds((long)values[HostOptionCatalog.SnapshotsInterval]!),
                updateMethod,
                TimeSpan.FromSeconds((long)values[HostOptionCatalog.ChangesInterval]!))
            {
                Values = values,
                Files = options.Where(o => o.Type == OptionType.Path && values.GetValueOrDefault(o.Name) is string { Length: > 0 })
                    .ToDictionary(o => o.Name, o => FileStamp.Of((string)values[o.Name]!), StringComparer.OrdinalIgnoreCase),
            };
            IReadOnlyList<string> instances;
            try
            {
                instances = plugin.Instance.ListInstances(settings);
            }
            catch (DatasourceConfigurationException e)
            {
                diagnostics.Error($"[{plugin.Name}] {e.Message}");
                continue;
            }

            if (instances.Count == 0)
            {
                result.Add(template);
            }
            else
            {
                result.AddRange(instances.Distinct(StringComparer.Ordinal).Select(instance => template with { Instance = instance }));
            }
        }

        return (result, pluginSettings, pluginValues);
    }

    // Sections of OpenStack's own services and libraries: never "did you mean" material.
    private static readonly HashSet<string> OpenStackSections = new(StringComparer.OrdinalIgnoreCase)
    {
        "DEFAULT", "api", "database", "keystone_authtoken", "service_credentials", "coordination", "oslo_policy",
        "oslo_concurrency", "oslo_middleware", "oslo_messaging_amqp", "oslo_messaging_kafka", "cors", "healthcheck",
        "entity_graph", "evaluator", "consistency", "persistency", "snmp_parsing", "machine_learning", "jaeger",
        "profiler", "ssl", "aodh", "nova", "cinder", "neutron", "heat", "trove", "zabbix", "prometheus", "collectd",
        "doctor", "network", "datasources", "static_physical", "kapacitor", "coordination_backend",
    };

    private static void ReportUnknownSections(ConfigFileSet files, PluginCatalog catalog, ApiSettings api, ConfigDiagnostics diagnostics)
    {
        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            HostOptionCatalog.DatasourcesSection,
            HostOptionCatalog.PluginHostSection,
            NotificationOptionCatalog.DefaultSection,
            NotificationOptionCatalog.NotificationsSection,
            NotificationOptionCatalog.RabbitSection,
            ApiOptionCatalog.ApiSection,
            DatabaseOptionCatalog.DatabaseSection,
            DatabaseOptionCatalog.EntityGraphSection,
        };
        if (api.AuthMode == ApiAuthMode.Keystone)
        {
            known.Add(ApiOptionCatalog.KeystoneSection);
        }

        known.UnionWith(catalog.Plugins.Select(p => p.Name));
        foreach (var section in files.SectionNames.Where(s => !known.Contains(s)))
        {
            // A real vitrage.conf is full of other services' sections: only a near miss of ours is worth a warning.
            var where = files.Section(section).FirstOrDefault()?.Location;
            if (!OpenStackSections.Contains(section) && NameSuggestion.Closest(section, known) is { } suggestion)
            {
                diagnostics.Warning($"{where}: section [{LogText.Escape(section)}] is not used by PluginHost; it is ignored (did you mean [{suggestion}]?)");
            }
            else
            {
                diagnostics.Info($"section [{LogText.Escape(section)}] is not used by the host or an enabled datasource; it is ignored");
            }
        }
    }
}
