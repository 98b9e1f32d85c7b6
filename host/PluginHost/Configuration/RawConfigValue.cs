namespace PluginHost.Configuration;

/// <summary>A value as written in a config file, before it is parsed against its option.</summary>
internal sealed record RawConfigValue(string Section, string Key, string Value, ConfigLocation Location)
{
    /// <summary>Where the same file set the same key before (the last one wins).</summary>
    public IReadOnlyList<ConfigLocation> EarlierInFile { get; init; } = [];
}
