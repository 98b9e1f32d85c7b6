using System.Text;

namespace PluginHost.Cli;

/// <summary>
/// Standard output could not be written (closed, /dev/full, a full disk): the verb ends with one
/// error line and exit 1, not with the runtime's stack trace.
/// </summary>
internal sealed class StandardOutputException(Exception inner)
    : Exception($"cannot write to standard output: {(inner.InnerException as IOException ?? inner).Message}", inner)
{
    /// <summary>Whether <paramref name="e"/> is how a write to a closed or full descriptor fails.</summary>
    public static bool IsWriteFailure(Exception e) => e is IOException or UnauthorizedAccessException;
}

/// <summary>Standard output's writer, whose write failures are <see cref="StandardOutputException"/>.</summary>
internal sealed class StandardOutputWriter(TextWriter inner) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string NewLine
    {
        get => inner.NewLine;
        set => inner.NewLine = value;
    }

    public override void Write(char value) => Guard(() => inner.Write(value));

    public override void Write(char[] buffer, int index, int count) => Guard(() => inner.Write(buffer, index, count));

    public override void Write(string? value) => Guard(() => inner.Write(value));

    public override void WriteLine() => Guard(inner.WriteLine);

    public override void WriteLine(string? value) => Guard(() => inner.WriteLine(value));

    public override void Flush() => Guard(inner.Flush);

    private static void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (StandardOutputException.IsWriteFailure(e))
        {
            throw new StandardOutputException(e);
        }
    }
}
