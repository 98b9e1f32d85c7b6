using System.Text;

namespace PluginHost.Logging;

/// <summary>
/// Text from outside (an API server's error message, a config value) made safe for one log line:
/// control characters are escaped, so a <c>\n</c> cannot forge a second line and ANSI escape codes
/// never reach a terminal raw.
/// </summary>
internal static class LogText
{
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
