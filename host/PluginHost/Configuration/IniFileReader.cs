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

        var lines = ScanLines(path, text);

        // oslo.config accepts a key repeated in a section (multi-valued options); the library
        // refuses it. It is given each key's last line only; who owns the section decides later
        // whether a repeat deserves a warning.
        // (A string key, not a tuple: LINQ over reference types runs precompiled code, a tuple key was
        // JIT-compiled at every start.)
        var repeats = lines.GroupBy(l => $"{l.Section}\n{l.Key}", StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1).ToDictionary(g => g.Last(), g => g.SkipLast(1).Select(l => l.Location).ToList());
        var earlier = new HashSet<int>();
        foreach (var location in repeats.Values.SelectMany(l => l))
        {
            earlier.Add(location.Line);
        }

        IDictionary<string, string?> values;
        try
        {
            using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(WithoutLines(text, earlier)));
            values = IniStreamConfigurationProvider.Read(stream);
        }
        catch (FormatException)
        {
            // ScanLines reports every problem it can place on a line; this is the fallback. The
            // library's message quotes the line, which may hold a password: it is not shown.
            throw new ConfigException($"{path}: cannot be read as an INI file");
        }

        var result = new List<RawConfigValue>(lines.Count);
        foreach (var line in lines.Where(l => !earlier.Contains(l.Location.Line)))
        {
            var value = values.TryGetValue($"{line.Section}:{line.Key}", out var v) ? v ?? string.Empty : string.Empty;
            if (line.SingleQuoted && value.Length >= 2)
            {
                // oslo.config takes the quotes off 'value' as off "value"; the library only off the
                // latter, which left them in a password, a cluster name or a path.
                value = value[1..^1];
            }

            result.Add(new RawConfigValue(line.Section, line.Key, value, line.Location)
            {
                EarlierInFile = repeats.GetValueOrDefault(line) ?? [],
            });
        }

        return result;
    }

    /// <summary>The most a config file may hold; a real vitrage.conf is tens of KB.</summary>
    private const int MaxFileBytes = 16 << 20;

    // File.ReadAllText read whatever it was given to the end: /dev/zero or a multi-GB log passed by
    // mistake grew the process by gigabytes before an OutOfMemoryException and its stack trace.
    // Opening a file takes microseconds; a named pipe without a writer blocks the open for ever.
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(5);

    private static string ReadBounded(string path)
    {
        using var stream = Open(path);
        using var bytes = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (bytes.Length + read > MaxFileBytes)
            {
                throw new ConfigException($"{path}: not a config file: it holds more than {MaxFileBytes >> 20} MiB");
            }

            bytes.Write(buffer, 0, read);
        }

        bytes.Position = 0;
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

    // .NET shows no file type to refuse a FIFO by, so the open runs on a pool thread waited for at
    // most OpenTimeout (a hostile test, stop 39: check-config of a FIFO hung until a SIGTERM). A
    // still-blocked open keeps its thread until a writer comes or the process ends. A file with a
    // size is a regular file (a FIFO, a device or a /proc file reports 0), opened at once: starting
    // the thread pool for it cost every verb ~5 ms of its start (bench/README.md, 2026-11-29).
    private static FileStream Open(string path)
    {
        if (IsFileWithData(path))
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }

        var open = Task.Run(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        try
        {
            if (!open.Wait(OpenTimeout))
            {
                throw new ConfigException($"{path}: did not open within {OpenTimeout.TotalSeconds:0} s (a named pipe without a writer?): a config file must be a file");
            }
        }
        catch (AggregateException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }

        return open.Result;
    }

    // A symbolic link's own size is its target's name: the size that counts is the final target's.
    private static bool IsFileWithData(string path)
    {
        try
        {
            FileSystemInfo info = new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
            }

            return info is FileInfo { Exists: true, Length: > 0 };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // the guarded open below reports it
        }
    }

    // Blanks the given lines, keeping every other line where it was.
    private static string WithoutLines(string text, HashSet<int> lineNumbers)
    {
        if (lineNumbers.Count == 0)
        {
            return text;
        }

        // Lines as ScanLines numbered them (\n, \r\n or a lone \r ends one), not text.Split('\n'):
        // a file with old Mac line endings is one "line" to Split, and blanking its line 3 threw
        // IndexOutOfRangeException (or, with a lone \r inside a file, blanked the wrong line).
        var lines = new List<string>();
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        foreach (var number in lineNumbers)
        {
            lines[number - 1] = string.Empty;
        }

        return string.Join('\n', lines);
    }

    private sealed record KeyLine(string Section, string Key, ConfigLocation Location, bool SingleQuoted);

    // Mirrors the library's line rules (trimmed lines; ';', '#', '/' comments; [section]; key=value)
    // so each key gets its line, and rejects what oslo rejects with the line that is wrong.
    private static List<KeyLine> ScanLines(string path, string text)
    {
        var result = new List<KeyLine>();
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
                // Not quoted back: a line that lost its "key =" may be a password.
                var where = section is null ? string.Empty : $" in [{section}]";
                throw new ConfigException(
                    $"{path}:{lineNumber}: this line{where} is not 'key = value', a [section] or a comment (its text is not shown: it may hold a secret)");
            }

            var key = line[..equals].Trim();
            if (section is null)
            {
                var shown = SecretNames.IsPrintableKey(key) ? $"key '{key}'" : "a key (its text is not shown: it may hold a secret)";
                throw new ConfigException(
                    $"{path}:{lineNumber}: {shown} appears before any [section]; put it under [DEFAULT] or its datasource's section");
            }

            var value = line[(equals + 1)..].Trim();
            var singleQuoted = value.Length >= 2 && value[0] == '\'' && value[^1] == '\'';
            result.Add(new KeyLine(section, key, new ConfigLocation(path, lineNumber), singleQuoted));
        }

        return result;
    }
}
