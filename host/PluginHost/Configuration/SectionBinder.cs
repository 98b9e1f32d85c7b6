using PluginHost.Contracts;

namespace PluginHost.Configuration;

/// <summary>Validates one config section against its declared options and returns typed values.</summary>
internal static class SectionBinder
{
    public static Dictionary<string, object?> Bind(
        ConfigFileSet files,
        string section,
        IReadOnlyList<OptionDefinition> options,
        ConfigDiagnostics diagnostics,
        bool warnOnUnknownKeys = true)
    {
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        var declared = options.ToDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var option in options)
        {
            values[option.Name] = OptionValueParser.DefaultOf(option);
        }

        foreach (var raw in files.Section(section))
        {
            if (!declared.TryGetValue(raw.Key, out var option))
            {
                var message = $"{raw.Location}: [{section}] {raw.Key} is not an option of this section; it is ignored";
                if (warnOnUnknownKeys)
                {
                    diagnostics.Warning(message + $" (known: {string.Join(", ", declared.Keys.Order(StringComparer.Ordinal))})");
                }
                else
                {
                    diagnostics.Info(message);
                }

                continue;
            }

            if (OptionValueParser.TryParse(option, raw.Value, out var value, out var expected))
            {
                values[option.Name] = value;
            }
            else
            {
                var shown = option.Secret ? "***" : raw.Value;
                diagnostics.Error($"{raw.Location}: [{section}] {raw.Key} = '{shown}': expected {expected}");
            }
        }

        return values;
    }
}
