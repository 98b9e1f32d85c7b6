using System.Text;

namespace PluginHost.Configuration;

/// <summary>One <c>key = value</c> of a file, its continuation lines joined.</summary>
internal sealed record IniAssignment(string Section, string Key, string Value, ConfigLocation Location);

/// <summary>
/// Splits an INI text into assignments by oslo.config's rules (<c>oslo_config/iniparser.py</c>), so
/// a vitrage.conf means here what it meant to Vitrage: <c>key = value</c> or <c>key: value</c> (the
/// first of the two separators), an indented line continues the value above (joined with a line
/// break, as oslo does: a list option split over lines reads as one list), a blank line ends it,
/// <c>#</c> and <c>;</c> start a comment, and one pair of matching quotes around a value is removed.
/// Microsoft.Extensions.Configuration.Ini read only <c>=</c>, refused continuation lines (or read an
/// indented <c>key = value</c> as a new key) and took quotes off <c>"value"</c> only.
/// Pure: the caller reads the file. Errors name the file and line and never quote the line, which
/// may hold a password.
/// </summary>
internal static class OsloIniParser
{
    // What Python's str.strip() takes off (str.isspace): .NET's char.IsWhiteSpace plus the
    // information separators U+001C-U+001F, which .NET does not count as white space. With .NET's
    // Trim a value "v\u001f" kept its separator, and a "[s]\u001f" line was refused.
    private static readonly char[] PythonWhitespace =
    [
        '\t', '\n', '\v', '\f', '\r', '\u001c', '\u001d', '\u001e', '\u001f', ' ', '\u0085', '\u00a0', '\u1680',
        '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200a',
        '\u2028', '\u2029', '\u202f', '\u205f', '\u3000',
    ];

    public static List<IniAssignment> Parse(string path, string text)
    {
        var result = new List<IniAssignment>();
        string? section = null;
        Pending? pending = null;
        var lineNumber = 0;
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } rawLine)
        {
            lineNumber++;
            var line = rawLine.TrimEnd(PythonWhitespace);
            if (line.Length == 0)
            {
                Flush();
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (pending is null)
                {
                    throw new ConfigException(
                        $"{path}:{lineNumber}: this line is indented, and oslo.config reads an indented line as the continuation of the value on the line above, but no 'key = value' is right above it; remove the indentation");
                }

                pending.Continue(line.TrimStart(PythonWhitespace));
                continue;
            }

            // Not trimmed at the start: oslo looks for '[', '#' and ';' in the first column only, so a
            // line that starts with another space ("\f[s]", a no-break space before '#') is a key line.
            Flush();
            if (line[0] == '[')
            {
                section = SectionName(path, lineNumber, line);
            }
            else if (line[0] is not ('#' or ';'))
            {
                pending = KeyLine(path, lineNumber, section, line);
            }
        }

        Flush();
        return result;

        void Flush()
        {
            if (pending is not null)
            {
                result.Add(pending.ToAssignment());
                pending = null;
            }
        }
    }

    private static string SectionName(string path, int lineNumber, string line)
    {
        if (line[^1] != ']')
        {
            throw new ConfigException($"{path}:{lineNumber}: this [section] line has no closing ']'");
        }

        var name = line[1..^1].Trim(PythonWhitespace);
        return name.Length > 0
            ? name
            : throw new ConfigException($"{path}:{lineNumber}: this [section] line has no name between its brackets");
    }

    private static Pending KeyLine(string path, int lineNumber, string? section, string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        var equals = line.IndexOf('=', StringComparison.Ordinal);
        // Escaped and shortened as every other section name in a message: a control character in it
        // reached the terminal raw, and a 4 MB name was echoed whole.
        var where = section is null ? string.Empty : $" in [{Logging.LogText.Quote(section)}]";
        if (colon < 0 && equals < 0)
        {
            // Not quoted back: a line that lost its "key =" may be a password.
            throw new ConfigException(
                $"{path}:{lineNumber}: this line{where} is not 'key = value', a [section] or a comment (its text is not shown: it may hold a secret)");
        }

        // oslo splits at whichever separator comes first: "url = http://h:1" at the '=',
        // "level: x=y" at the ':'.
        var at = colon < 0 || (equals >= 0 && equals < colon) ? equals : colon;
        var key = line[..at].Trim(PythonWhitespace);
        if (key.Length == 0)
        {
            throw new ConfigException($"{path}:{lineNumber}: this line{where} has a value but no key before its '{line[at]}'");
        }

        if (section is null)
        {
            var shown = SecretNames.IsPrintableKey(key) ? $"key '{key}'" : "a key (its text is not shown: it may hold a secret)";
            throw new ConfigException(
                $"{path}:{lineNumber}: {shown} appears before any [section]; put it under [DEFAULT] or its datasource's section");
        }

        var value = line[(at + 1)..].Trim(PythonWhitespace);
        if (value.Length > 0 && value[0] is ('"' or '\'') && value[^1] == value[0])
        {
            value = value.Length == 1 ? string.Empty : value[1..^1]; // oslo's value[1:-1]: a lone quote is ''
        }

        return new Pending(section, key, value, new ConfigLocation(path, lineNumber));
    }

    private sealed class Pending(string section, string key, string value, ConfigLocation location)
    {
        private StringBuilder? _lines;

        public void Continue(string line) => (_lines ??= new StringBuilder(value)).Append('\n').Append(line);

        public IniAssignment ToAssignment() => new(section, key, _lines?.ToString() ?? value, location);
    }
}
