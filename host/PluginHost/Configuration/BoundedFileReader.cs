using System.Collections.Concurrent;

namespace PluginHost.Configuration;

/// <summary>
/// Reads a whole file an operator names (a config file, a values file), bounded: at most a given
/// number of bytes, and an open that does not return (a named pipe without a writer) given up after
/// <see cref="OpenTimeout"/>. File.ReadAllText read whatever it was given to the end (/dev/zero, a
/// multi-GB log: gigabytes, then an OutOfMemoryException) and waited for ever on a pipe.
/// </summary>
internal static class BoundedFileReader
{
    /// <summary>Opening a file takes microseconds; a named pipe without a writer blocks the open for ever.</summary>
    public static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The file's bytes, from the start of the returned stream.</summary>
    /// <exception cref="FileTooLargeException">The file holds more than <paramref name="maxBytes"/>.</exception>
    /// <exception cref="FileOpenTimeoutException">The open did not return within <see cref="OpenTimeout"/>.</exception>
    /// <exception cref="IOException">The file cannot be opened or read (also FileNotFoundException, DirectoryNotFoundException).</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static MemoryStream Read(string path, int maxBytes)
    {
        using var stream = Open(path);
        var bytes = new MemoryStream();
        var buffer = new byte[Math.Min(81920, maxBytes + 1)];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (bytes.Length + read > maxBytes)
            {
                throw new FileTooLargeException(path, maxBytes);
            }

            bytes.Write(buffer, 0, read);
        }

        bytes.Position = 0;
        return bytes;
    }

    // .NET shows no file type to refuse a FIFO by, so the open runs on a pool thread waited for at
    // most OpenTimeout (a hostile test, stop 39: check-config of a FIFO hung until a SIGTERM). A
    // still-blocked open keeps its thread until a writer comes or the process ends. A file with a
    // size is a regular file (a FIFO, a device or a /proc file reports 0), opened at once: starting
    // the thread pool for it cost every verb ~5 ms of its start (bench/README.md, 2026-11-29).
    private static FileStream Open(string path)
    {
        if (IsFileWithData(path))
        {
            return OpenNow(path);
        }

        var open = BlockedOpens.Pending.TryRemove(path, out var blocked) ? blocked : Task.Run(() => OpenNow(path));
        if (!Opened(open, OpenTimeout))
        {
            BlockedOpens.Pending[path] = open;
            throw new FileOpenTimeoutException(path, OpenTimeout);
        }

        return open.Result;
    }

    /// <summary>Waits at most <paramref name="wait"/> for an open running on another thread: whether it returned.</summary>
    /// <exception cref="IOException">The open failed (its own exception, not wrapped).</exception>
    /// <exception cref="UnauthorizedAccessException">The open was refused.</exception>
    public static bool Opened(Task<FileStream> open, TimeSpan wait)
    {
        try
        {
            return open.Wait(wait);
        }
        catch (AggregateException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw; // not reached
        }
    }

    // Opens still blocked, by path: a reload that reads the same pipe again waits on the open it
    // started before instead of leaving one more thread blocked in open() each time. A class of its
    // own, so that reading a regular file (every verb's config file) never creates it.
    private static class BlockedOpens
    {
        public static readonly ConcurrentDictionary<string, Task<FileStream>> Pending = new(StringComparer.Ordinal);
    }

    private static FileStream OpenNow(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    /// <summary>
    /// Whether the path is a regular file with data (through links): one that opens at once. A FIFO,
    /// a device or a /proc file reports size 0, as does an empty file; those may block an open.
    /// </summary>
    public static bool IsFileWithData(string path)
    {
        try
        {
            return LinkedFile.Resolve(path) is FileInfo { Exists: true, Length: > 0 };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // the guarded open reports it
        }
    }
}

/// <summary>A file holds more bytes than its reader takes.</summary>
internal sealed class FileTooLargeException(string path, long maxBytes)
    : IOException($"{path}: holds more than {maxBytes} bytes")
{
    public long MaxBytes { get; } = maxBytes;
}

/// <summary>A file's open did not return in time: a named pipe without a writer, most likely.</summary>
internal sealed class FileOpenTimeoutException(string path, TimeSpan timeout)
    : IOException($"{path}: did not open within {timeout.TotalSeconds:0} s (a named pipe without a writer?)")
{
    public TimeSpan Timeout { get; } = timeout;
}
