using System.Globalization;
using System.Text;

namespace PluginHost.Logging;

/// <summary>
/// oslo.log's <c>log_date_format</c> is a Python strftime format; this turns it into a .NET one, so
/// operators keep the dates their log tooling parses.
/// </summary>
internal static class PythonDateFormat
{
    private static readonly Dictionary<char, string> Directives = new()
    {
        ['Y'] = "yyyy", ['y'] = "yy", ['m'] = "MM", ['d'] = "dd", ['H'] = "HH", ['I'] = "hh", ['M'] = "mm", ['S'] = "ss",
        ['f'] = "ffffff", ['p'] = "tt", ['b'] = "MMM", ['B'] = "MMMM", ['a'] = "ddd", ['A'] = "dddd", ['z'] = "zzz",
    };

    /// <summary>The .NET custom format, or <c>null</c> with the directive it cannot express.</summary>
    public static string? ToDotNet(string python, out string? unsupported)
    {
        unsupported = null;
        var result = new StringBuilder();
        var literal = new StringBuilder();
        for (var i = 0; i < python.Length; i++)
        {
            if (python[i] == '%' && i + 1 < python.Length)
            {
                var directive = python[++i];
                if (directive == '%')
                {
                    literal.Append('%');
                    continue;
                }

                if (!Directives.TryGetValue(directive, out var dotnet))
                {
                    unsupported = "%" + directive;
                    return null;
                }

                Flush(result, literal);
                result.Append(dotnet);
            }
            else
            {
                literal.Append(python[i]);
            }
        }

        Flush(result, literal);
        return result.ToString();
    }

    private static void Flush(StringBuilder result, StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            result.Append('\'').Append(literal.ToString().Replace("'", "\\'", StringComparison.Ordinal)).Append('\'');
            literal.Clear();
        }
    }

    public static string Format(DateTimeOffset time, string dotnetFormat) => time.ToString(dotnetFormat, CultureInfo.InvariantCulture);
}
