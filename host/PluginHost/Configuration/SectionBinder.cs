using PluginHost.Contracts;
using PluginHost.Logging;

namespace PluginHost.Configuration;

/// <summary>Validates one config section against its declared options and returns typed values.</summary>
internal static class SectionBinder
{
    /// <param name="resolveRelativePaths">
    /// Resolve a relative path option against the folder of the config file that sets it (the
    /// datasources' sections), so a config file and the files it names can travel together and the
    /// plugin never depends on the host's working directory.
    /// </param>
    public static Dictionary<string, object?> Bind(
        ConfigFileSet files,
        string section,
        IReadOnlyList<OptionDefinition> options,
        ConfigDiagnostics diagnostics,
        bool warnOnUnknownKeys = true,
        bool resolveRelativePaths = false)
    {
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        var declared = options.ToDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var option in options)
        {
            values[option.Name] = OptionValueParser.DefaultOf(option);
        }

        foreach (var raw in files.Section(section))
        {
            var key = LogText.Escape(raw.Key);
            if (!declared.TryGetValue(raw.Key, out var option))
            {
                var printable = SecretNames.IsPrintableKey(raw.Key);
                var message = printable
                    ? $"{raw.Location}: [{section}] {key} is not an option of this section; it is ignored"
                    : $"{raw.Location}: [{section}] the key of this line is not an option name; it is ignored (its text is not shown: it may hold a secret)";
                var suggestion = printable ? NameSuggestion.Closest(raw.Key, declared.Keys) : null;
                if (warnOnUnknownKeys || suggestion is not null)
                {
                    diagnostics.Warning(suggestion is not null
                        ? $"{message} (did you mean {suggestion}?)"
                        : $"{message} (known: {string.Join(", ", declared.Keys.Order(StringComparer.Ordinal))})");
                }
                else
                {
                    diagnostics.Info(message);
                }

                continue;
            }

            if (raw.EarlierInFile.Count > 0)
            {
                // oslo's single-valued options: the last one wins, which is worth saying.
                diagnostics.Warning(
                    $"{raw.Location}: [{section}] {key} is set {raw.EarlierInFile.Count + 1} times in this file (also at line {string.Join(", ", raw.EarlierInFile.Select(l => l.Line))}); the last one is used");
            }

            // A declared secret may span lines: nothing prints it, and a URL's parser drops the
            // breaks as Python's urlsplit does (a wrapped multi-broker transport_url works in
            // Vitrage). Only declared ones: a plugin may quote an option whose name merely looks
            // secret to the host (a "token_file" path).
            if (!option.Secret && ContinuationLines.SpansLines(option, raw.Value, out var oneLine))
            {
                diagnostics.Error(
                    $"{raw.Location}: [{section}] {key} = {SecretNames.QuoteValue(raw.Value)}: expected {oneLine}; oslo.config reads the indented lines under it as part of this value: remove their indentation if they are options of their own");
                continue;
            }

            // What may go on over lines (a list after a comma, a secret) may still hold an option indented by mistake.
            if (ContinuationLines.ContinuesWithAnOption(raw.Value, out var continuation))
            {
                diagnostics.Error(
                    $"{raw.Location}: [{section}] {key}: line {raw.Location.Line + continuation} reads as an option of its own (its text is not shown: it may hold a secret), but it is indented, and oslo.config reads an indented line as part of the value above: remove its indentation");
                continue;
            }

            if (OptionValueParser.TryParse(option, raw.Value, out var value, out var expected))
            {
                values[option.Name] = resolveRelativePaths && option.Type == OptionType.Path && value is string path
                    ? ResolveAgainst(raw.Location, path)
                    : value;
            }
            else
            {
                var shown = option.Secret || SecretNames.IsSecret(raw.Key) ? "'***'" : SecretNames.QuoteValue(raw.Value);
                diagnostics.Error($"{raw.Location}: [{section}] {key} = {shown}: expected {expected}");
            }
        }

        return values;
    }

    private static string ResolveAgainst(ConfigLocation location, string path) =>
        path.Length == 0 || Path.IsPathRooted(path) || !Path.IsPathRooted(location.File)
            ? path // empty means "unset"; values not from a file (the demo's) have no folder
            : Path.GetFullPath(path, Path.GetDirectoryName(location.File)!);
}
