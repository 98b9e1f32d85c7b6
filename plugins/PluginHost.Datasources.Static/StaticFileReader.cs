using System.Text;

namespace PluginHost.Datasources.Static;

/// <summary>
/// Reads one static file, bounded: at most <see cref="MaxBytes"/> (a symlink to <c>/dev/zero</c> or
/// a runaway generator otherwise fills the memory), and strict UTF-8 (an invalid byte would
/// silently become U+FFFD inside an id).
/// </summary>
internal static class StaticFileReader
{
    /// <summary>Far above any inventory a person writes by hand (Vitrage's examples are a few KB).</summary>
    public const int MaxBytes = 16 << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Opening a regular file takes microseconds; a named pipe (FIFO) blocks the open until a writer
    // comes, and .NET shows no file type to skip it by.
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(5);

    // Opens still blocked, by path: one waiting thread per such file, not one per read.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<FileStream>> BlockedOpens = new(StringComparer.Ordinal);

    /// <exception cref="StaticFileException">Too large, not UTF-8, or it did not open in time.</exception>
    /// <exception cref="IOException">It cannot be read.</exception>
    public static async Task<string> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[64 * 1024];
        using var content = new MemoryStream();
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (content.Length + read > MaxBytes)
            {
                throw new StaticFileException($"{path}: larger than {MaxBytes >> 20} MiB, which no static file needs");
            }

            content.Write(buffer, 0, read);
        }

        try
        {
            var bytes = content.GetBuffer().AsSpan(0, (int)content.Length);
            return StrictUtf8.GetString(bytes.StartsWith(StrictUtf8.Preamble) ? bytes[StrictUtf8.Preamble.Length..] : bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new StaticFileException($"{path}: not valid UTF-8 (byte {e.Index} of a line; YAML files are UTF-8)");
        }
    }

    // The blocking open() runs on a pool thread the read does not wait for past OpenTimeout, so a
    // FIFO neither hangs the snapshot nor a stop (the thread ends when a writer opens the pipe).
    private static async Task<FileStream> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var open = BlockedOpens.TryRemove(path, out var blocked)
            ? blocked
            : Task.Run(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.Asynchronous), CancellationToken.None);
        try
        {
            return await open.WaitAsync(OpenTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            BlockedOpens[path] = open; // the next read waits on this one, cancelled or not
            cancellationToken.ThrowIfCancellationRequested();
            throw new StaticFileException($"{path}: did not open within {OpenTimeout.TotalSeconds:0} s (a named pipe?); only files belong in the static folder");
        }
    }
}
