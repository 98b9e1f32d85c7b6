namespace PluginHost.Contracts;

/// <summary>
/// A datasource's validated config section: every declared option has a typed value (its default
/// when the files do not set it). Built by the host; plugins only read it.
/// </summary>
public sealed class DatasourceSettings
{
    private readonly IReadOnlyDictionary<string, object?> _values;

    public DatasourceSettings(IReadOnlyDictionary<string, object?> values)
    {
        _values = values ?? throw new ArgumentNullException(nameof(values));
    }

    /// <summary>Option names that have a value (declared options and the host's common ones).</summary>
    public IEnumerable<string> Names => _values.Keys;

    public string GetString(string name) => Get<string?>(name) ?? string.Empty;

    public long GetInt(string name) => Get<long>(name);

    public double GetFloat(string name) => Get<double>(name);

    public bool GetBool(string name) => Get<bool>(name);

    public IReadOnlyList<string> GetList(string name) => Get<IReadOnlyList<string>?>(name) ?? [];

    public TimeSpan GetSeconds(string name) => TimeSpan.FromSeconds(GetInt(name));

    private T Get<T>(string name)
    {
        if (!_values.TryGetValue(name, out var value))
        {
            throw new KeyNotFoundException($"option '{name}' is not declared for this datasource");
        }

        return value is T typed ? typed : value is null ? default! :
            throw new InvalidCastException($"option '{name}' holds {value.GetType().Name}, not {typeof(T).Name}");
    }
}
