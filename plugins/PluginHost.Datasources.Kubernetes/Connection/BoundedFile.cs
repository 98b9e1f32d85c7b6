using System.Text;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>
/// Reads a small file the kubeconfig names (a token, a certificate, a key) with a bound on what
/// is read, not on <see cref="FileInfo.Length"/>: a device or a pipe has no length, and a path such
/// as <c>/dev/zero</c> grew the process by ~150 MB a second until it ran out of memory (for a
/// tokenFile, on every request).
/// </summary>
internal static class BoundedFile
{
    /// <summary>The file's text (UTF-8), or null when it holds more than <paramref name="maxBytes"/>.</summary>
    /// <exception cref="IOException">It cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">It may not be read.</exception>
    public static string? ReadText(string path, int maxBytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        var buffer = new byte[maxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        return length > maxBytes ? null : new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetString(buffer, 0, length).TrimStart('\uFEFF');
    }
}
