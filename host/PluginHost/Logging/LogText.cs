using System.Text;

namespace PluginHost.Logging;

/// <summary>
/// Text from outside (an API server's error message, a config value) made safe for one log line:
/// control characters are escaped, so a <c>\n</c> cannot forge a second line and ANSI escape codes
/// never reach a terminal raw; so are invisible format characters (bidirectional overrides,
/// zero-width spaces), which would make a name look like another.
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
    public static string Quote(string? text) => Escape(Shorten(text));

    /// <summary>
    /// A value cut after <see cref="MaxQuoted"/> characters with its length said, not escaped (for
    /// text escaped whole later): a name of 100 KB would otherwise be a log line or, in a table, the
    /// width of every row.
    /// </summary>
    public static string Shorten(string? text)
    {
        var value = text ?? string.Empty;
        return value.Length <= MaxQuoted
            ? value
            : $"{value[..MaxQuoted]}… ({value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)} characters)";
    }

    /// <param name="keepLineBreaks">Leaves <c>\n</c> as it is (a message of several lines), escaping every other control character.</param>
    public static string Escape(string? text, bool keepLineBreaks = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var first = 0;
        while (first < text.Length && !Escaped(text, first, keepLineBreaks))
        {
            first += Width(text, first);
        }

        if (first == text.Length)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length;)
        {
            var width = Width(text, i);
            _ = text[i] switch
            {
                _ when !Escaped(text, i, keepLineBreaks) => builder.Append(text, i, width),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when width == 2 => builder.Append("\\U").Append(char.ConvertToUtf32(text[i], text[i + 1]).ToString("x8", System.Globalization.CultureInfo.InvariantCulture)),
                _ => builder.Append("\\u").Append(((int)text[i]).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
            };
            i += width;
        }

        return builder.ToString();
    }

    // Two for a surrogate pair (one character beyond U+FFFF), else one.
    private static int Width(string text, int index) =>
        char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;

    // Control characters, the line and paragraph separators, lone surrogates, and Unicode's invisible
    // format characters (category Cf): bidirectional overrides and isolates (U+202A-E, U+2066-9)
    // reorder what a terminal shows, so a name could display as another ("Trojan Source"); zero-width
    // ones (U+200B-D, U+FEFF) make two names look the same; tag characters (U+E0000-7F) hide text.
    // Below U+00AD only the C0 and C1 controls are any of these: ASCII costs one comparison a character.
    private static bool Escaped(string text, int index, bool keepLineBreaks)
    {
        var c = text[index];
        if (c < '\u00ad')
        {
            return char.IsControl(c) && !(keepLineBreaks && c == '\n');
        }

        return Width(text, index) == 2
            ? System.Text.Rune.GetUnicodeCategory(new System.Text.Rune(c, text[index + 1])) == System.Globalization.UnicodeCategory.Format
            : c is '\u2028' or '\u2029' || char.IsSurrogate(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format;
    }
}
