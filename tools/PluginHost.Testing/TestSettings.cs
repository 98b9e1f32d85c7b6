using PluginHost.Configuration;
using PluginHost.Contracts;

namespace PluginHost.Testing;

/// <summary>
/// A plugin's settings as the host would give them: every declared option at its default, parsed
/// and validated with the host's rules, with the values a test sets on top (in config-file spelling).
/// </summary>
public static class TestSettings
{
    /// <summary>Settings for <paramref name="plugin"/>'s options.</summary>
    /// <param name="plugin">The plugin whose declared options apply.</param>
    /// <param name="values">Option name → value as written in vitrage.conf (e.g. <c>"30"</c>, <c>"true"</c>).</param>
    /// <exception cref="ArgumentException">A value is not valid for its option, or names no declared option.</exception>
    public static DatasourceSettings For(IDatasourcePlugin plugin, IReadOnlyDictionary<string, string>? values = null)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        var declared = plugin.Options.ToDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);
        var parsed = declared.Values.ToDictionary(o => o.Name, OptionValueParser.DefaultOf, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, text) in values ?? new Dictionary<string, string>())
        {
            if (!declared.TryGetValue(name, out var option))
            {
                throw new ArgumentException($"[{plugin.Name}] {name} is not an option of this plugin", nameof(values));
            }

            parsed[option.Name] = OptionValueParser.TryParse(option, text, out var value, out var expected)
                ? value
                : throw new ArgumentException($"[{plugin.Name}] {name} = '{text}': expected {expected}", nameof(values));
        }

        return new DatasourceSettings(parsed);
    }
}
