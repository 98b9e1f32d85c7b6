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

    /// <exception cref="StaticFileException">Too large, or not UTF-8.</exception>
    /// <exception cref="IOException">It cannot be read.</exception>
    public static async Task<string> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.Asynchronous);
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
}
