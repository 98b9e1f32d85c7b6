namespace PluginHost.Configuration;

/// <summary>
/// Reads one oslo-style INI file (bounded, strict UTF-8) and gives each key's last value with the
/// line it is on; <see cref="OsloIniParser"/> splits the text by oslo.config's rules.
/// </summary>
internal static class IniFileReader
{
    public static IReadOnlyList<RawConfigValue> Read(string path)
    {
        string text;
        try
        {
            text = ReadBounded(path);
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

        // oslo.config accepts a key repeated in a section (multi-valued options). Each key's last value
        // is kept; who owns the section decides later whether a repeat deserves a warning.
        var assignments = OsloIniParser.Parse(path, text);
        var names = new string[assignments.Count];
        var last = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var earlier = new Dictionary<string, List<ConfigLocation>>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < assignments.Count; i++)
        {
            var name = names[i] = $"{assignments[i].Section}\n{assignments[i].Key}";
            if (last.TryGetValue(name, out var before))
            {
                (earlier.TryGetValue(name, out var list) ? list : earlier[name] = []).Add(assignments[before].Location);
            }

            last[name] = i;
        }

        var result = new List<RawConfigValue>(last.Count);
        for (var i = 0; i < assignments.Count; i++)
        {
            if (last[names[i]] == i)
            {
                var (section, key, value, location) = assignments[i];
                result.Add(new RawConfigValue(section, key, value, location) { EarlierInFile = earlier.GetValueOrDefault(names[i]) ?? [] });
            }
        }

        return result;
    }

    /// <summary>The most a config file may hold; a real vitrage.conf is tens of KB.</summary>
    private const int MaxFileBytes = 16 << 20;

    private static string ReadBounded(string path)
    {
        MemoryStream bytes;
        try
        {
            bytes = BoundedFileReader.Read(path, MaxFileBytes);
        }
        catch (FileTooLargeException)
        {
            throw new ConfigException($"{path}: not a config file: it holds more than {MaxFileBytes >> 20} MiB");
        }
        catch (FileOpenTimeoutException e)
        {
            throw new ConfigException($"{e.Message}: a config file must be a file");
        }

        using (bytes)
        {
            try
            {
                // Strict: invalid UTF-8 used to become U+FFFD in silence, so a Latin-1 password reached
                // Keystone or RabbitMQ changed, and failed there for no reason the operator could see.
                using var reader = new StreamReader(bytes, new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, leaveOpen: true);
                return reader.ReadToEnd();
            }
            catch (System.Text.DecoderFallbackException)
            {
                var data = bytes.GetBuffer().AsSpan(0, (int)bytes.Length);
                _ = System.Text.Unicode.Utf8.ToUtf16(data, new char[data.Length], out var valid, out _, replaceInvalidSequences: false);
                var line = data[..valid].Count((byte)'\n') + 1;
                throw new ConfigException(
                    $"{path}:{line}: this line is not UTF-8 text, which oslo.config reads (its text is not shown: it may hold a secret); save the file as UTF-8");
            }
        }
    }
}
