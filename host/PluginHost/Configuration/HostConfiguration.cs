using PluginHost.Plugins;

namespace PluginHost.Configuration;

/// <summary>Everything the host needs to run, validated: settings, plugins and datasources.</summary>
internal sealed record HostConfiguration(
    IReadOnlyList<string> Files,
    HostSettings Host,
    PluginCatalog Catalog,
    IReadOnlyList<DatasourceConfiguration> Datasources,
    ConfigDiagnostics Diagnostics);
