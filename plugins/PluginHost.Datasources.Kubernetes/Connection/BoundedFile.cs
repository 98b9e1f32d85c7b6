using System.Runtime.ExceptionServices;
using System.Text;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>
/// Reads a small local file the kubeconfig settings name (the kubeconfig, a token, a certificate,
/// a key) with a bound on what is read, not on <see cref="FileInfo.Length"/>, and on how long it
/// takes: a device or a pipe has no length, and a path such as <c>/dev/zero</c> grew the process
/// by ~150 MB a second until it ran out of memory (for a tokenFile, on every request); a named
/// pipe without a writer blocked the open, and with it check-config or the start, for ever.
/// </summary>
internal static class BoundedFile
{
    /// <summary>How long a file that is not a regular file with data may take to open and be read.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The file's bytes, or null when it holds more than <paramref name="maxBytes"/>.</summary>
    /// <exception cref="IOException">It cannot be read, or did not open and end within <see cref="Timeout"/>.</exception>
    /// <exception cref="UnauthorizedAccessException">It may not be read.</exception>
    public static byte[]? Read(string path, int maxBytes)
    {
        if (IsFileWithData(path))
        {
            return ReadNow(path, maxBytes); // a regular file: at once, no thread pool at start
        }

        // .NET shows no file type to refuse a FIFO by: the read runs on a pool thread, waited for at
        // most Timeout. One still blocked keeps its thread until a writer comes or the process ends.
        var read = Task.Run(() => ReadNow(path, maxBytes));
        try
        {
            if (!read.Wait(Timeout))
            {
                throw new IOException($"it did not open and end within {Timeout.TotalSeconds:0} s (a named pipe without a writer?)");
            }
        }
        catch (AggregateException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }

        return read.Result;
    }

    /// <summary>The file's UTF-8 text (a byte order mark dropped), or null when it holds more than <paramref name="maxBytes"/>.</summary>
    /// <exception cref="IOException">It cannot be read, or did not open and end within <see cref="Timeout"/>.</exception>
    /// <exception cref="UnauthorizedAccessException">It may not be read.</exception>
    public static string? ReadText(string path, int maxBytes) =>
        Read(path, maxBytes) is { } bytes ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetString(bytes).TrimStart('\uFEFF') : null;

    private static byte[]? ReadNow(string path, int maxBytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        using var bytes = new MemoryStream();
        // Sized by the file (a token file is read for every request: ~1 KB, not an 80 KB buffer each
        // time); a device or a pipe reports 0 and is read 4 KB at a time, still up to the bound.
        var buffer = new byte[(int)Math.Min(Math.Max(stream.Length + 1, 4096), Math.Min(maxBytes + 1L, 81920))];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (bytes.Length + read > maxBytes)
            {
                return null;
            }

            bytes.Write(buffer, 0, read);
        }

        return bytes.ToArray();
    }

    // A regular file reports its size (a FIFO, a device or a /proc file reports 0); a symbolic
    // link's own size is its target's name, so the final target's counts.
    private static bool IsFileWithData(string path)
    {
        try
        {
            FileSystemInfo info = new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
            }

            return info is FileInfo { Exists: true, Length: > 0 };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // the guarded read reports it
        }
    }
}
