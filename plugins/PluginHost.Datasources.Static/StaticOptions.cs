using PluginHost.Contracts;

namespace PluginHost.Datasources.Static;

/// <summary>The <c>[static]</c> options, with Vitrage's defaults.</summary>
internal static class StaticOptions
{
    public static readonly OptionDefinition<string> Directory = OptionDefinition.Path("directory", "/etc/vitrage/static_datasources",
        "Folder whose *.yaml and *.yml files (Vitrage's static datasource format) are read.");

    public static IReadOnlyList<OptionDefinition> Declared { get; } =
    [
        Directory,
        OptionDefinition.Enum("update_method", "pull", ["none", "pull"],
            "pull: every changes_interval the files are read again and only what changed is reported; none: snapshots only."),
        OptionDefinition.Int("changes_interval", 30, "Seconds between two reads of the files for changes.", min: 10),
    ];
}
