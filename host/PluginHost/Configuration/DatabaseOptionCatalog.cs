using PluginHost.Contracts;

namespace PluginHost.Configuration;

/// <summary>
/// Where the host keeps what must outlive it: <c>[database]</c> under Vitrage's own option names
/// (its other options are oslo.db's and ignored), and Vitrage's <c>[entity_graph]</c> option that
/// names the datasource values folder.
/// </summary>
internal static class DatabaseOptionCatalog
{
    public const string DatabaseSection = "database";
    public const string EntityGraphSection = "entity_graph";

    public static readonly OptionDefinition<string> Connection = OptionDefinition.String("connection", string.Empty,
        "The alarm history database, in oslo.db's URL form; only SQLite is supported: sqlite:////absolute/path/history.db or sqlite:///relative/path.db (relative to the working directory). Empty, or another database's URL (Vitrage's own, with a warning): history.db in [plugin_host] state_dir.",
        secret: true);

    public static readonly OptionDefinition<int> HistoryRetentionDays = OptionDefinition.Int("history_retention_days", 30,
        "Days an ended alarm stays in the alarm history before it is pruned (active alarms are never pruned). 0: keep them for ever.", min: 0, max: 36500);

    public static IReadOnlyList<OptionDefinition> Database { get; } = [Connection, HistoryRetentionDays];

    public static readonly OptionDefinition<string> DatasourcesValuesDir = OptionDefinition.Path("datasources_values_dir", "/etc/vitrage/datasources_values",
        "Folder of Vitrage's datasource values files (<vitrage_type>.yaml), which map a vertex's state or an alarm's severity to vitrage_operational_state/severity. A type defined here wins over the file a plugin ships for it; the host's own default.yaml is the fallback. Read at start.");

    public static IReadOnlyList<OptionDefinition> EntityGraph { get; } = [DatasourcesValuesDir];
}
