using PluginHost.Contracts;
using PluginHost.Plugins;

namespace PluginHost.Configuration;

/// <summary>One enabled datasource: its plugin and its validated section.</summary>
internal sealed record DatasourceConfiguration(
    LoadedPlugin Plugin,
    DatasourceSettings Settings,
    TimeSpan SnapshotsInterval,
    UpdateMethod UpdateMethod,
    TimeSpan ChangesInterval)
{
    public string Name => Plugin.Name;
}
