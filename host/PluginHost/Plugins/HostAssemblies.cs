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
                && SameBytes(host.FullName, plugin.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // unreadable: not provably the same, so the plugin keeps its own
        }
    }

    // Chunk by chunk, not two whole files: each copy of a ~1 MB assembly read at once was ~250 pages
    // of fresh memory, and every verb compares the Kubernetes plugin's YamlDotNet (bench/README.md, start-up).
    private static bool SameBytes(string first, string second)
    {
        const int Chunk = 64 * 1024;
        using var a = File.OpenHandle(first);
        using var b = File.OpenHandle(second);
        var buffer = new byte[2 * Chunk];
        var chunkA = buffer.AsSpan(0, Chunk);
        var chunkB = buffer.AsSpan(Chunk);
        for (long offset = 0; ; offset += Chunk)
        {
            var readA = ReadChunk(a, chunkA, offset);
            if (readA != ReadChunk(b, chunkB, offset) || !chunkA[..readA].SequenceEqual(chunkB[..readA]))
            {
                return false;
            }

            if (readA < Chunk)
            {
                return true; // the end of both
            }
        }
    }

    // Fills the chunk unless the file ends first (a read may return less than asked).
    private static int ReadChunk(Microsoft.Win32.SafeHandles.SafeFileHandle file, Span<byte> chunk, long offset)
    {
        var filled = 0;
        while (filled < chunk.Length)
        {
            var read = RandomAccess.Read(file, chunk[filled..], offset + filled);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
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
