namespace PluginHost.Configuration;

/// <summary>
/// What a file a datasource's path option names looked like when the configuration was read: its
/// length and last write time. A reload compares them, so that a file edited in place (a
/// kubeconfig whose token was renewed) is taken up as a changed setting, not left to a restart.
/// Only the file's metadata is read, never its content: a named pipe or a device cannot make a
/// reload wait.
/// </summary>
internal readonly record struct FileStamp(long Length, DateTime LastWriteUtc)
{
    /// <summary>
    /// The stamp of a file, or of the file a link leads to; null for a path that names no file
    /// (missing, a folder, a dangling link or a loop of links).
    /// </summary>
    public static FileStamp? Of(string path)
    {
        try
        {
            // A link's own length and time never change when what it leads to does: a Kubernetes
            // Secret or ConfigMap volume links each file through "..data", which the kubelet swaps
            // whole to update them (a rotated certificate, an edited ConfigMap). Stamp the file itself.
            return LinkedFile.Resolve(path) is FileInfo { Exists: true } file ? new FileStamp(file.Length, file.LastWriteTimeUtc) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null; // the plugin's own checks say what is wrong with such a path
        }
    }
}
