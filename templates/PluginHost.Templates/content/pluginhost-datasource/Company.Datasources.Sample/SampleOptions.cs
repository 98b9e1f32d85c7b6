using PluginHost.Contracts;

namespace Company.Datasources.Sample;

/// <summary>The <c>[mysource]</c> options, each declared once and read back typed.</summary>
internal static class SampleOptions
{
    /// <summary>Where the things are (a relative path is resolved against the config file's folder).</summary>
    public static readonly OptionDefinition<string> SourceFile = OptionDefinition.Path("source_file", string.Empty,
        "JSON file listing the things: [{\"id\": ..., \"name\": ..., \"state\": ..., \"instance_id\": ...}].");

    /// <summary>
    /// Every option of the section. The host adds snapshots_interval, update_method and
    /// changes_interval; redeclaring update_method says this driver only does snapshots (it has no
    /// IChangesDriver), so a config asking for pull or push is refused with a clear message.
    /// </summary>
    public static IReadOnlyList<OptionDefinition> Declared { get; } =
    [
        OptionDefinition.Enum("update_method", "none", ["none"], "Only snapshots: every snapshots_interval the whole source is read."),
        SourceFile,
    ];
}
