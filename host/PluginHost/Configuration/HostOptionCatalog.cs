using PluginHost.Contracts;

namespace PluginHost.Configuration;

/// <summary>The options the host itself declares, section by section.</summary>
internal static class HostOptionCatalog
{
    public const string DatasourcesSection = "datasources";
    public const string PluginHostSection = "plugin_host";

    public const string SnapshotsInterval = "snapshots_interval";
    public const string UpdateMethodOption = "update_method";
    public const string ChangesInterval = "changes_interval";

    public static IReadOnlyList<OptionDefinition> Datasources { get; } =
    [
        OptionDefinition.List("types", string.Empty,
            "Datasources to enable, by name (e.g. kubernetes,static). Empty enables every plugin found."),
        OptionDefinition.List("plugin_path", "plugins",
            "Folders to search for plugins/<Name>/<Name>.dll. Relative folders are resolved against the folder of the config file that sets them; the default is the plugins folder beside the host."),
        OptionDefinition.Int(SnapshotsInterval, 600,
            "Seconds between two full snapshots of a datasource; a datasource section may override it.", min: 10),
    ];

    public static IReadOnlyList<OptionDefinition> PluginHost { get; } =
    [
        OptionDefinition.Path("graph_file", string.Empty,
            "Keep the entity graph here (Vitrage topology node-link JSON, mode 0640): rewritten when the graph changes, at most once a second, replaced atomically. A failed write is logged and retried; the graph goes on. Empty: no file."),
        OptionDefinition.String("event_log", string.Empty,
            "Append every datasource event as one JSON line (Vitrage's event keys) to this file (mode 0640, flushed every second); '-' is standard output. While it cannot be written, events are dropped and counted. Empty: no log."),
        OptionDefinition.Int("queue_capacity", 256,
            "Events the graph queue holds before datasources wait (back-pressure; nothing is dropped). Each holds one entity's JSON, so this bounds the memory between datasources and the graph.", min: 1),
        OptionDefinition.Int("deleted_entity_retention", 600,
            "Seconds a deleted vertex stays in the graph (marked vitrage_is_deleted) before it is purged.", min: 0),
        OptionDefinition.Int("retry_initial_delay", 10,
            "Seconds before the first retry of a failed snapshot; the delay doubles after each failure.", min: 1),
        OptionDefinition.Int("retry_max_delay", 300,
            "Longest delay between retries of a failing snapshot (never longer than the snapshot interval).", min: 1),
        OptionDefinition.Enum("log_level", "info", ["debug", "info", "warning", "error"],
            "Least severe log level written to standard error."),
        OptionDefinition.Int("notification_buffer", 1000,
            "Notifications held while RabbitMQ is slow or away ([oslo_messaging_notifications] driver = messagingv2). When full, whole snapshots are dropped, oldest first (never part of one), and counted; the next complete snapshot sends the full state again.", min: 1),
        OptionDefinition.Int("notification_full_wait", 10,
            "Seconds the graph may wait for room in a full notification buffer while RabbitMQ is away (a broker restart then loses nothing); after that, whole snapshots are dropped and the graph goes on. 0: never wait.", min: 0, max: 300),
        OptionDefinition.Int("notification_flush_timeout", 10,
            "Seconds a stopping host (or the snapshot verb) waits for unconfirmed notifications before giving up on them (within shutdown_timeout).", min: 0),
        OptionDefinition.Path("state_dir", string.Empty,
            "Folder for what the host keeps across restarts (the alarm history's history.db unless [database] connection names another file). Empty: /var/lib/pluginhost when it exists and the host may write there (a service: systemd's StateDirectory=pluginhost), else ~/.local/state/pluginhost."),
        OptionDefinition.Int("release_memory_below", Operations.MemoryRelease.DefaultBelowMiB,
            $"MiB. After complete snapshots, while the managed heap holds at most this much, run compacts it once and gives the freed memory back to the system (a pause of ~1 ms per MiB: ~50 ms at 5,000 nodes), unless less than {Operations.MemoryRelease.MinAllocatedBytes >> 20} MiB were allocated since the last time. 0: never. Above it (somewhat more than 20,000 nodes) the collector's own settings decide, except after the first complete snapshots, whose release runs at any size (~0.6-0.9 s at 65,000 nodes, once).", min: 0, max: 1048576),
        OptionDefinition.Int("shutdown_timeout", 10,
            "Seconds a stopping host may take (SIGTERM/SIGINT) to apply what is queued, flush its outputs and close; after that it exits anyway (run with code 0, other verbs with 1).", min: 1, max: 3600),
    ];

    /// <summary>Options every datasource section has; a plugin may redeclare one to change its default.</summary>
    public static IReadOnlyList<OptionDefinition> CommonDatasourceOptions(long inheritedSnapshotsInterval) =>
    [
        OptionDefinition.Int(SnapshotsInterval, (int)inheritedSnapshotsInterval,
            "Seconds between two full snapshots of this datasource (default: [datasources] snapshots_interval).", min: 10),
        OptionDefinition.Enum(UpdateMethodOption, "none", ["none", "pull", "push"],
            "How changes between snapshots are reported: none, pull (every changes_interval) or push."),
        OptionDefinition.Int(ChangesInterval, 30,
            "Seconds between two pulls of changes when update_method = pull.", min: 10),
    ];

    /// <summary>A plugin's own options with the common ones it does not redeclare, common ones first.</summary>
    public static IReadOnlyList<OptionDefinition> DatasourceOptions(IDatasourcePlugin plugin, long inheritedSnapshotsInterval)
    {
        var own = plugin.Options.ToDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);
        var common = CommonDatasourceOptions(inheritedSnapshotsInterval)
            .Select(c => own.TryGetValue(c.Name, out var redeclared) ? redeclared : c)
            .ToList();
        var commonNames = common.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. common, .. plugin.Options.Where(o => !commonNames.Contains(o.Name))];
    }
}
