using System.Globalization;
using PluginHost.Contracts;

namespace PluginHost.Configuration;

/// <summary>Parses a config string into the typed value of its option, with oslo.config's rules.</summary>
internal static class OptionValueParser
{
    private static readonly Dictionary<string, bool> BoolWords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["true"] = true, ["yes"] = true, ["on"] = true, ["1"] = true,
        ["false"] = false, ["no"] = false, ["off"] = false, ["0"] = false,
    };

    /// <summary>Returns the typed value, or <c>false</c> with what was expected.</summary>
    public static bool TryParse(OptionDefinition option, string text, out object? value, out string expected)
    {
        expected = Describe(option);
        value = null;
        var trimmed = text.Trim();
        switch (option.Type)
        {
            case OptionType.String:
                value = text;
                return true;
            case OptionType.Path:
                value = ExpandHome(trimmed);
                return true;
            case OptionType.Bool:
                if (BoolWords.TryGetValue(trimmed, out var flag))
                {
                    value = flag;
                    return true;
                }

                return false;
            case OptionType.Int:
                var fits = long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                    && integer is >= int.MinValue and <= int.MaxValue;
                if (fits && InRange(option, integer))
                {
                    value = integer;
                    return true;
                }

                // Every integer option is declared as an int and read back as one (or as that many
                // seconds): a larger number used to pass here and crash whoever converted it, e.g.
                // TimeSpan.FromSeconds or the (int) default of a datasource's snapshots_interval.
                if (!fits && IsWholeNumber(trimmed))
                {
                    expected = Describe(option with { Min = option.Min ?? int.MinValue, Max = option.Max ?? int.MaxValue });
                }

                return false;
            case OptionType.Float:
                if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    && double.IsFinite(number) && InRange(option, number))
                {
                    value = number;
                    return true;
                }

                return false;
            case OptionType.List:
                value = trimmed.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                return true;
            case OptionType.Enum:
                var choice = option.Choices.FirstOrDefault(c => string.Equals(c, trimmed, StringComparison.OrdinalIgnoreCase));
                value = choice;
                return choice is not null;
            default:
                throw new ArgumentOutOfRangeException(nameof(option), option.Type, "unknown option type");
        }
    }

    /// <summary>The typed default of an option; <c>null</c> when it has none.</summary>
    public static object? DefaultOf(OptionDefinition option)
    {
        if (option.Default is null)
        {
            return option.Type == OptionType.List ? Array.Empty<string>() : null;
        }

        return TryParse(option, option.Default, out var value, out var expected)
            ? value
            : throw new InvalidOperationException(
                $"option {option.Name} declares default '{option.Default}', which is not {expected}");
    }

    /// <summary>What a valid value looks like, for error messages and the sample config.</summary>
    public static string Describe(OptionDefinition option) => option.Type switch
    {
        OptionType.String => "a string",
        OptionType.Path => "a path",
        OptionType.Bool => "a boolean (true/false, yes/no, on/off, 1/0)",
        OptionType.Int => "an integer" + DescribeRange(option),
        OptionType.Float => "a number" + DescribeRange(option),
        OptionType.List => "a comma-separated list",
        OptionType.Enum => "one of " + string.Join(", ", option.Choices),
        _ => option.Type.ToString(),
    };

    private static bool IsWholeNumber(string text)
    {
        var digits = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
        return digits.Length > 0 && digits.All(char.IsAsciiDigit);
    }

    private static bool InRange(OptionDefinition option, double value) =>
        (option.Min is not { } min || value >= min) && (option.Max is not { } max || value <= max);

    private static string DescribeRange(OptionDefinition option) => (option.Min, option.Max) switch
    {
        ({ } min, { } max) => string.Create(CultureInfo.InvariantCulture, $" from {min} to {max}"),
        ({ } min, null) => string.Create(CultureInfo.InvariantCulture, $" of at least {min}"),
        (null, { } max) => string.Create(CultureInfo.InvariantCulture, $" of at most {max}"),
        _ => string.Empty,
    };

    private static string ExpandHome(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return path.Length == 1 ? home : Path.Combine(home, path[2..]);
        }

        return path;
    }
}
