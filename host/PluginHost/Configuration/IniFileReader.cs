using Microsoft.Extensions.Configuration.Ini;

namespace PluginHost.Configuration;

/// <summary>
/// Reads one oslo-style INI file. Values come from Microsoft.Extensions.Configuration.Ini (its
/// quoting and comment rules); this class adds what oslo users need on top: the line of every key,
/// and errors that name the file and line instead of a bare <see cref="FormatException"/>.
/// </summary>
internal static class IniFileReader
{
    public static IReadOnlyList<RawConfigValue> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            throw new ConfigException($"{path}: config file not found");
        }
        catch (DirectoryNotFoundException)
        {
            throw new ConfigException($"{path}: config file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: cannot read config file: {e.Message}");
        }

        var lines = ScanLines(path, text);
        IDictionary<string, string?> values;
        try
        {
            using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
            values = IniStreamConfigurationProvider.Read(stream);
        }
        catch (FormatException e)
        {
            // ScanLines reports every problem it can place on a line; this is the fallback.
            throw new ConfigException($"{path}: {e.Message}");
        }

        var result = new List<RawConfigValue>(lines.Count);
        foreach (var line in lines)
        {
            var value = values.TryGetValue($"{line.Section}:{line.Key}", out var v) ? v ?? string.Empty : string.Empty;
            result.Add(new RawConfigValue(line.Section, line.Key, value, line.Location));
        }

        return result;
    }

    private sealed record KeyLine(string Section, string Key, ConfigLocation Location);

    // Mirrors the library's line rules (trimmed lines; ';', '#', '/' comments; [section]; key=value)
    // so each key gets its line, and rejects what oslo rejects with the line that is wrong.
    private static List<KeyLine> ScanLines(string path, string text)
    {
        var result = new List<KeyLine>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        string? section = null;
        var lineNumber = 0;
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } rawLine)
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] is ';' or '#' or '/')
            {
                continue;
            }

            if (line[0] == '[' && line[^1] == ']')
            {
                section = line[1..^1].Trim();
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                var where = section is null ? string.Empty : $" in [{section}]";
                throw new ConfigException(
                    $"{path}:{lineNumber}: line '{line}'{where} is not 'key = value', a [section] or a comment");
            }

            var key = line[..equals].Trim();
            if (section is null)
            {
                throw new ConfigException(
                    $"{path}:{lineNumber}: key '{key}' appears before any [section]; put it under [DEFAULT] or its datasource's section");
            }

            var id = $"{section}:{key}";
            if (seen.TryGetValue(id, out var firstLine))
            {
                throw new ConfigException(
                    $"{path}:{lineNumber}: [{section}] {key} is set twice in this file (first at line {firstLine})");
            }

            seen[id] = lineNumber;
            result.Add(new KeyLine(section, key, new ConfigLocation(path, lineNumber)));
        }

        return result;
    }
}
