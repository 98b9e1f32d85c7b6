namespace PluginHost.Contracts;

/// <summary>
/// A datasource's validated config section: every declared option has a value (its default when
/// the files do not set it). Built by the host; plugins read it with <see cref="Get{T}"/>.
/// </summary>
public sealed class DatasourceSettings
{
    private readonly IReadOnlyDictionary<string, object?> _values;

    /// <summary>Settings from parsed values by option name (the host builds these; tests may too).</summary>
    public DatasourceSettings(IReadOnlyDictionary<string, object?> values)
    {
        _values = values ?? throw new ArgumentNullException(nameof(values));
    }

    /// <summary>The value of <paramref name="option"/>, which the plugin declared in its options.</summary>
    /// <exception cref="KeyNotFoundException">The option was not declared for this section.</exception>
    public T Get<T>(OptionDefinition<T> option)
    {
        ArgumentNullException.ThrowIfNull(option);
        if (!_values.TryGetValue(option.Name, out var value))
        {
            throw new KeyNotFoundException($"option '{option.Name}' is not declared for this datasource");
        }

        try
        {
            return option.Convert(value);
        }
        catch (Exception e) when (e is InvalidCastException or NullReferenceException or OverflowException)
        {
            throw new InvalidCastException(
                $"option '{option.Name}' holds {value?.GetType().Name ?? "nothing"}, not {typeof(T).Name}", e);
        }
    }
}
