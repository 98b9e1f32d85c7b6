using System.Reflection;
using Microsoft.Extensions.Logging;
using PluginHost.Contracts;

namespace PluginHost.Plugins;

/// <summary>
/// Finds and loads datasource plugins: every <c>&lt;folder&gt;/&lt;Name&gt;/&lt;Name&gt;.dll</c> of
/// the plugin path, each in its own load context. Only the contracts (and the logging abstractions
/// they expose) are shared with the host, so a plugin keeps its own versions of everything else (a
/// dependency whose file is identical to the host's own copy is loaded once, from the host).
/// A folder that fails to load is reported and skipped; the other plugins still load.
/// </summary>
internal sealed class PluginCatalog : IDisposable
{
    // The contracts and the logging abstractions they expose, with their references: computed once
    // per process, however many plugins there are.
    private static readonly Lazy<IReadOnlySet<string>> SharedAssemblies =
        new(() => PluginLoadContext.SharedClosure([typeof(IDatasourcePlugin), typeof(ILogger)]));

    private PluginCatalog()
    {
    }

    public IReadOnlyList<LoadedPlugin> Plugins { get; private set; } = [];

    public IReadOnlyList<PluginLoadError> Errors { get; private set; } = [];

    public IReadOnlyList<string> SearchedFolders { get; private set; } = [];

    public LoadedPlugin? Find(string name) =>
        Plugins.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    public static PluginCatalog Discover(IReadOnlyList<string> folders)
    {
        var catalog = new PluginCatalog { SearchedFolders = folders };
        var plugins = new List<LoadedPlugin>();
        var errors = new List<PluginLoadError>();
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder))
            {
                errors.Add(new PluginLoadError(folder, "plugin folder not found"));
                continue;
            }

            foreach (var pluginFolder in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
            {
                var dll = Path.Combine(pluginFolder, Path.GetFileName(pluginFolder) + ".dll");
                if (!File.Exists(dll))
                {
                    continue;
                }

                try
                {
                    var plugin = Load(dll);
                    var twin = plugins.FirstOrDefault(p => string.Equals(p.Name, plugin.Name, StringComparison.OrdinalIgnoreCase));
                    if (twin is not null)
                    {
                        errors.Add(new PluginLoadError(dll,
                            $"a plugin named '{plugin.Name}' is already loaded from {twin.AssemblyPath}; this one is skipped"));
                        continue;
                    }

                    plugins.Add(plugin);
                }
                catch (PluginLoadException e)
                {
                    errors.Add(new PluginLoadError(dll, e.Message));
                }
            }
        }

        catalog.Plugins = plugins;
        catalog.Errors = errors;
        return catalog;
    }

    private static LoadedPlugin Load(string dll)
    {
        Assembly assembly;
        try
        {
            var path = Path.GetFullPath(dll);
            assembly = new PluginLoadContext(path, SharedAssemblies).LoadFromAssemblyPath(path);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or InvalidOperationException)
        {
            throw new PluginLoadException($"not a loadable .NET assembly ({e.GetType().Name}: {e.Message})");
        }

        CheckContractsVersion(assembly);
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException)
        {
            throw new PluginLoadException($"cannot read its types ({e.Message}); is a dependency missing from its folder?");
        }

        var pluginTypes = types
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IDatasourcePlugin).IsAssignableFrom(t))
            .ToList();
        if (pluginTypes.Count == 0)
        {
            throw new PluginLoadException(
                $"no public class implements {typeof(IDatasourcePlugin).FullName}; is it built against PluginHost.Contracts?");
        }

        if (pluginTypes.Count > 1)
        {
            throw new PluginLoadException(
                $"more than one class implements IDatasourcePlugin ({string.Join(", ", pluginTypes.Select(t => t.FullName))}); a plugin assembly has exactly one");
        }

        IDatasourcePlugin instance;
        try
        {
            instance = (IDatasourcePlugin)Activator.CreateInstance(pluginTypes[0])!;
        }
        catch (Exception e) when (e is MissingMethodException or TargetInvocationException or MemberAccessException)
        {
            throw new PluginLoadException($"cannot create {pluginTypes[0].FullName}: {(e.InnerException ?? e).Message}");
        }

        if (string.IsNullOrWhiteSpace(instance.Name))
        {
            throw new PluginLoadException($"{pluginTypes[0].FullName} has an empty Name");
        }

        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        return new LoadedPlugin(instance, Path.GetFullPath(dll), version.Split('+')[0]);
    }

    /// <summary>The contracts this host implements (the PluginHost.Contracts package version).</summary>
    public static Version HostContractsVersion { get; } = ContractsVersionOf(typeof(IDatasourcePlugin).Assembly)!;

    // A plugin built against another major, or a newer minor, would fail later with a
    // MissingMethodException or TypeLoadException deep in a snapshot: refuse it at load, saying why.
    private static void CheckContractsVersion(Assembly plugin)
    {
        var built = plugin.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == ContractsVersionKey)?.Value is { } text
            && Version.TryParse(text, out var declared)
            ? declared
            : plugin.GetReferencedAssemblies().FirstOrDefault(r => r.Name == typeof(IDatasourcePlugin).Assembly.GetName().Name)?.Version;
        if (built is null)
        {
            return; // no reference to the contracts: the type check below says what is wrong
        }

        var host = HostContractsVersion;
        if (built.Major != host.Major || built.Minor > host.Minor)
        {
            throw new PluginLoadException(
                $"built against PluginHost.Contracts {built.ToString(3)}, but this host has {host.ToString(3)}: a plugin needs the same major version and at most the host's minor (rebuild it against PluginHost.Contracts {host.Major}.{host.Minor}, or update the host)");
        }
    }

    private const string ContractsVersionKey = "PluginHostContractsVersion";

    private static Version? ContractsVersionOf(Assembly contracts) =>
        contracts.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] is { } text
        && Version.TryParse(text, out var version) ? version : contracts.GetName().Version;

    /// <summary>
    /// Nothing to release: plugin contexts are not collectible (a plugin's types live as long as
    /// the process, like the host's). Kept so that callers scope a catalog's use.
    /// </summary>
    public void Dispose()
    {
    }

    private sealed class PluginLoadException(string message) : Exception(message);
}
