using System.Text;

namespace PluginHost.Logging;

/// <summary>
/// Text from outside (an API server's error message, a config value) made safe for one log line:
/// control characters are escaped, so a <c>\n</c> cannot forge a second line and ANSI escape codes
/// never reach a terminal raw.
/// </summary>
internal static class LogText
{
    /// <summary>The most of a value an error message quotes.</summary>
    public const int MaxQuoted = 200;

    /// <summary>
    /// A value as an error message quotes it: escaped, and cut after <see cref="MaxQuoted"/>
    /// characters with its length said (a hostile test, stop 39: a 20 MB invalid value was echoed
    /// whole, in every check-config, reload and start).
    /// </summary>
    public static string Quote(string? text)
    {
        var value = text ?? string.Empty;
        return value.Length <= MaxQuoted
            ? Escape(value)
            : $"{Escape(value[..MaxQuoted])}… ({value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)} characters)";
    }

    /// <param name="keepLineBreaks">Leaves <c>\n</c> as it is (a message of several lines), escaping every other control character.</param>
    public static string Escape(string? text, bool keepLineBreaks = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var clean = true;
        foreach (var c in text)
        {
            if (NeedsEscape(c) && !(keepLineBreaks && c == '\n'))
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' when keepLineBreaks => builder.Append(c),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when NeedsEscape(c) => builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
