using PluginHost.Contracts;
using PluginHost.Plugins;

namespace PluginHost.Testing;

/// <summary>
/// Loads a built plugin folder exactly as the host loads <c>plugins/&lt;Name&gt;/&lt;Name&gt;.dll</c>:
/// the host's own loader, in its own load context, sharing only the contracts and the logging
/// abstractions. A plugin that loads here loads in the host.
/// </summary>
public sealed class HostPluginLoader : IDisposable
{
    private readonly PluginCatalog _catalog;

    private HostPluginLoader(PluginCatalog catalog, IDatasourcePlugin plugin)
    {
        _catalog = catalog;
        Plugin = plugin;
    }

    /// <summary>The plugin, created by the host's loader.</summary>
    public IDatasourcePlugin Plugin { get; }

    /// <summary>Loads the plugin of <paramref name="pluginFolder"/> (the folder holding <c>&lt;Name&gt;.dll</c>).</summary>
    /// <exception cref="InvalidOperationException">The host would not load it; the message says why, as the host's <c>plugins</c> verb would.</exception>
    public static HostPluginLoader Load(string pluginFolder)
    {
        ArgumentNullException.ThrowIfNull(pluginFolder);
        var folder = Path.GetFullPath(pluginFolder).TrimEnd(Path.DirectorySeparatorChar);

        // The host looks for <path>/<Name>/<Name>.dll: give it the parent of the plugin's folder.
        var catalog = PluginCatalog.Discover([Path.GetDirectoryName(folder)!]);
        var plugin = catalog.Plugins.FirstOrDefault(p => string.Equals(p.Folder, folder, StringComparison.Ordinal));
        if (plugin is null)
        {
            var errors = catalog.Errors.Where(e => e.Path.StartsWith(folder, StringComparison.Ordinal)).Select(e => e.Message).ToList();
            catalog.Dispose();
            throw new InvalidOperationException(errors.Count > 0
                ? $"the host would not load {folder}: {string.Join("; ", errors)}"
                : $"no plugin in {folder}: the host loads <folder>/<Name>/<Name>.dll, with <Name> the folder's name");
        }

        return new HostPluginLoader(catalog, plugin.Instance);
    }

    /// <inheritdoc/>
    public void Dispose() => _catalog.Dispose();
}
