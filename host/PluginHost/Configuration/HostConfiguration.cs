using PluginHost.Contracts;
using PluginHost.Plugins;

namespace PluginHost.Configuration;

/// <summary>Everything the host needs to run, validated: settings, plugins and datasources.</summary>
/// <param name="PluginSettings">Every loaded plugin's section (enabled or not), for its transformers.</param>
/// <param name="PluginValues">The same sections' raw values, to tell whether a reload changed them.</param>
internal sealed record HostConfiguration(
    IReadOnlyList<string> Files,
    HostSettings Host,
    PluginCatalog Catalog,
    IReadOnlyList<DatasourceConfiguration> Datasources,
    IReadOnlyDictionary<string, DatasourceSettings> PluginSettings,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> PluginValues,
    ConfigDiagnostics Diagnostics);
