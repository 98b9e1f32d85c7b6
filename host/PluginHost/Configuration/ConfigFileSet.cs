namespace PluginHost.Configuration;

/// <summary>
/// The merged contents of every config file, oslo style: files are read in order and a later file
/// overrides a key an earlier one set. Sections and keys are case-insensitive.
/// </summary>
internal sealed class ConfigFileSet
{
    private readonly Dictionary<string, Dictionary<string, RawConfigValue>> _sections =
        new(StringComparer.OrdinalIgnoreCase);

    private ConfigFileSet(IReadOnlyList<string> files)
    {
        Files = files;
    }

    public IReadOnlyList<string> Files { get; }

    public IEnumerable<string> SectionNames => _sections.Keys;

    public static readonly IReadOnlyList<string> DefaultSearchPath =
    [
        "vitrage.conf",
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".vitrage", "vitrage.conf"),
        "/etc/vitrage/vitrage.conf",
    ];

    /// <summary>
    /// Loads <paramref name="files"/> then every <c>*.conf</c> of each of <paramref name="directories"/>
    /// (sorted). With neither, the first file of <see cref="DefaultSearchPath"/> that exists; none is fine.
    /// </summary>
    public static ConfigFileSet Load(IReadOnlyList<string> files, IReadOnlyList<string> directories)
    {
        var paths = new List<string>(files.Select(Path.GetFullPath));
        foreach (var directory in directories)
        {
            if (!Directory.Exists(directory))
            {
                throw new ConfigException($"{directory}: config directory not found");
            }

            paths.AddRange(Directory.GetFiles(directory, "*.conf").Order(StringComparer.Ordinal).Select(Path.GetFullPath));
        }

        if (files.Count == 0 && directories.Count == 0)
        {
            var found = DefaultSearchPath.FirstOrDefault(File.Exists);
            if (found is not null)
            {
                paths.Add(Path.GetFullPath(found));
            }
        }

        var set = new ConfigFileSet(paths);
        var errors = new List<string>();
        foreach (var path in paths)
        {
            try
            {
                foreach (var value in IniFileReader.Read(path))
                {
                    set.Add(value);
                }
            }
            catch (ConfigException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        return errors.Count > 0 ? throw new ConfigException(errors) : set;
    }

    /// <summary>Builds a set from values already in memory (the demo's own config).</summary>
    public static ConfigFileSet FromValues(IEnumerable<RawConfigValue> values)
    {
        var set = new ConfigFileSet([]);
        foreach (var value in values)
        {
            set.Add(value);
        }

        return set;
    }

    public IReadOnlyCollection<RawConfigValue> Section(string name) =>
        _sections.TryGetValue(name, out var values) ? values.Values : [];

    public RawConfigValue? Get(string section, string key) =>
        _sections.TryGetValue(section, out var values) && values.TryGetValue(key, out var value) ? value : null;

    /// <summary>A value that wins over every file (a command-line option).</summary>
    public void Override(RawConfigValue value) => Add(value);

    private void Add(RawConfigValue value)
    {
        if (!_sections.TryGetValue(value.Section, out var values))
        {
            values = new Dictionary<string, RawConfigValue>(StringComparer.OrdinalIgnoreCase);
            _sections[value.Section] = values;
        }

        values[value.Key] = value;
    }
}
