using System.Diagnostics.CodeAnalysis;
using PluginHost.Contracts;

namespace PluginHost.Configuration;

/// <summary>
/// What oslo.config's continuation lines may not carry into a value: oslo reads an indented line as
/// the value above continued, so an option indented by mistake (a password, a wrapped URL) becomes
/// part of another option's value, which a plugin would use and quote in its own errors.
/// </summary>
internal static class ContinuationLines
{
    /// <summary>
    /// Whether a value runs over several lines where its option wants one: a string or path with
    /// continuation lines, or a list item with a line break inside. oslo.config reads an indented line
    /// as the value above continued, so such a value is almost always an option (or a wrapped URL or
    /// password) indented by mistake; handed to a plugin it would be used, and quoted in its errors,
    /// whole. Lists may continue over lines: a line ending in a comma starts a new item.
    /// </summary>
    public static bool SpansLines(OptionDefinition option, string text, [NotNullWhen(true)] out string? expected)
    {
        // Most values are one line: nothing to split, no message to build (every verb binds every option).
        var spans = text.Contains('\n', StringComparison.Ordinal) && option.Type switch
        {
            // Also "key =" with the value on the next line: it may be an option indented by mistake.
            OptionType.String or OptionType.Path => true,
            OptionType.List => text.Split(',', StringSplitOptions.TrimEntries).Any(item => item.Contains('\n', StringComparison.Ordinal)),
            _ => false, // numbers, booleans and choices refuse a line break as any other wrong value
        };
        expected = !spans ? null
            : option.Type == OptionType.List
                ? "a comma-separated list with each item on one line (end a line with a comma to go on with the list on the next)"
                : $"{OptionValueParser.Describe(option)} on one line";
        return spans;
    }

    /// <summary>
    /// Whether a continuation line of a value reads as <c>name = value</c> (or <c>name: value</c>): an
    /// option indented by mistake. <see cref="SpansLines"/> misses it where a value may go on over lines:
    /// a list after a trailing comma (the line became an item, "password = ..." quoted by a plugin) and
    /// a secret (a transport_url whose vhost became "password = ...", shown in the URL the logs print).
    /// A URL's query wrapped after its '?' or '&amp;' ("ssl=true") is no option. <paramref name="index"/>:
    /// which continuation line (1 the first under the key).
    /// </summary>
    public static bool ContinuesWithAnOption(string text, out int index)
    {
        index = 0;
        if (!text.Contains('\n', StringComparison.Ordinal))
        {
            return false;
        }

        var lines = text.Split('\n');
        for (index = 1; index < lines.Length; index++)
        {
            if (ReadsAsOption(lines[index]) && !lines[index - 1].EndsWith('?') && !lines[index - 1].EndsWith('&'))
            {
                return true;
            }
        }

        index = 0;
        return false;
    }

    // "name = value" or "name: value": a letter or '_', then letters, digits, '_', '.' or '-', blanks,
    // and '=', or ':' before a blank or the end (so "u:p@h2:5672" and "arn:aws:..." are no options),
    // or ':' right before the value when the name is a secret's ("password:S3cr3t", "token:..."),
    // which a broker's user or a context's name hardly is.
    // A scan, not a regular expression: every verb binds options, and building one costs start-up time.
    private static bool ReadsAsOption(string line)
    {
        if (line.Length == 0 || !(char.IsAsciiLetter(line[0]) || line[0] == '_'))
        {
            return false;
        }

        var i = 1;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or '.' or '-'))
        {
            i++;
        }

        var nameEnd = i;
        while (i < line.Length && line[i] is ' ' or '\t')
        {
            i++;
        }

        return i < line.Length && (line[i] == '='
            || (line[i] == ':' && (i + 1 == line.Length || line[i + 1] is ' ' or '\t' || SecretNames.IsSecret(line[..nameEnd]))));
    }
}
