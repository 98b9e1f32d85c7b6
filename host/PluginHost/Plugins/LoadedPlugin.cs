using PluginHost.Contracts;

namespace PluginHost.Plugins;

/// <summary>A plugin instance with where it came from.</summary>
internal sealed record LoadedPlugin(IDatasourcePlugin Instance, string AssemblyPath, string Version)
{
    public string Name => Instance.Name;

    public string Folder => Path.GetDirectoryName(AssemblyPath) ?? AssemblyPath;
}
