namespace PluginHost.Configuration;

/// <summary>
/// The file a path leads to. A symbolic link's own length is its target's name and its time is
/// when it was made, so whatever reads a file's size or time (a bound, a reload's stamp) reads the
/// final target's: a Kubernetes Secret or ConfigMap volume links every file through "..data".
/// </summary>
internal static class LinkedFile
{
    /// <summary>The path itself, or the final target of its links (which may not exist).</summary>
    /// <exception cref="IOException">A loop of links, or one that cannot be followed.</exception>
    public static FileSystemInfo Resolve(string path)
    {
        var file = new FileInfo(path);
        return file.LinkTarget is null ? file : file.ResolveLinkTarget(returnFinalTarget: true) ?? file;
    }
}
