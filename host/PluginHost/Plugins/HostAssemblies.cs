namespace PluginHost.Plugins;

/// <summary>
/// The assemblies the host itself can load (its trusted platform assemblies: the framework and its
/// own dependencies), by name, and whether a plugin's DLL is a byte-for-byte copy of one of them.
/// </summary>
internal static class HostAssemblies
{
    // Larger assemblies are not compared: reading them would cost more than loading a second copy.
    private const long MaxComparedBytes = 16L << 20;

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Paths = new(ReadTrustedPlatformAssemblies);

    /// <summary>
    /// True when the host ships an assembly of this name whose file is identical to
    /// <paramref name="pluginPath"/>: the same code, so the plugin can use the host's, loaded and
    /// initialised once. Any other copy — another version, another build — stays the plugin's own.
    /// </summary>
    public static bool HasIdentical(string name, string pluginPath)
    {
        if (!Paths.Value.TryGetValue(name, out var hostPath))
        {
            return false;
        }

        try
        {
            var host = new FileInfo(hostPath);
            var plugin = new FileInfo(pluginPath);
            if (string.Equals(host.FullName, plugin.FullName, StringComparison.Ordinal))
            {
                return true;
            }

            return host.Exists && plugin.Exists && host.Length == plugin.Length && host.Length <= MaxComparedBytes
                && File.ReadAllBytes(host.FullName).AsSpan().SequenceEqual(File.ReadAllBytes(plugin.FullName));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // unreadable: not provably the same, so the plugin keeps its own
        }
    }

    private static Dictionary<string, string> ReadTrustedPlatformAssemblies()
    {
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
        {
            foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                paths.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            }
        }

        return paths;
    }
}
