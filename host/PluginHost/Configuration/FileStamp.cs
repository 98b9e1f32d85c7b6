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
    /// <summary>The stamp of a file; null for a path that names no file (missing, or a folder).</summary>
    public static FileStamp? Of(string path)
    {
        try
        {
            var file = new FileInfo(path);
            return file.Exists ? new FileStamp(file.Length, file.LastWriteTimeUtc) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null; // the plugin's own checks say what is wrong with such a path
        }
    }
}
