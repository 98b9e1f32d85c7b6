using PluginHost.Contracts;

namespace PluginHost.States;

/// <summary>A vertex's operational and aggregated value (a resource's state pair, an alarm's severity pair).</summary>
internal readonly record struct VertexValues(string? Operational, string? Aggregated);

/// <summary>
/// Vitrage's <c>DatasourceInfoMapper</c>: the operational and aggregated state of a resource (from
/// <c>state</c> and <c>vitrage_state</c>, the one of higher priority), the operational and
/// aggregated severity of an alarm (from <c>severity</c>). A type with a values file uses it; a type
/// that is a datasource's own (one a plugin registers a transformer for) without a file gets
/// "undefined datasource"; any other type uses <c>default</c>. An unmapped or absent value is N/A
/// with priority 0, and the aggregated value is the original one in upper case (null when absent).
/// Immutable, so any thread may use it.
/// </summary>
internal sealed class DatasourceValues
{
    public const string DefaultType = "default";

    private static readonly VertexValues Undefined = new(OperationalValues.UndefinedDatasource, OperationalValues.UndefinedDatasource);

    private readonly IReadOnlyDictionary<string, ValuesFile> _files;
    private readonly IReadOnlySet<string> _datasourceTypes;

    public DatasourceValues(IReadOnlyDictionary<string, ValuesFile> files, IReadOnlySet<string> datasourceTypes)
    {
        _files = files;
        _datasourceTypes = datasourceTypes;
    }

    /// <summary>No files: every value is N/A (tests of the graph alone).</summary>
    public static DatasourceValues None { get; } = new(new Dictionary<string, ValuesFile>(), new HashSet<string>());

    /// <summary>The types with a file, and where each came from.</summary>
    public IReadOnlyDictionary<string, ValuesFile> Files => _files;

    /// <param name="category">The vertex's <c>vitrage_category</c>.</param>
    /// <param name="type">Its <c>vitrage_type</c>.</param>
    /// <param name="value">A resource's <c>state</c>, an alarm's <c>severity</c>.</param>
    /// <param name="vitrageState">A resource's <c>vitrage_state</c> (set by an evaluator); ignored for alarms.</param>
    public VertexValues Compute(string category, string type, string? value, string? vitrageState = null)
    {
        if (!_files.TryGetValue(type, out var file))
        {
            if (_datasourceTypes.Contains(type))
            {
                return Undefined;
            }

            file = _files.GetValueOrDefault(DefaultType);
        }

        var (operational, aggregated, priority) = Lookup(file, value);
        if (category != EntityCategories.Alarm)
        {
            var (otherOperational, otherAggregated, otherPriority) = Lookup(file, vitrageState);
            if (otherPriority > priority)
            {
                return new VertexValues(otherOperational, otherAggregated);
            }
        }

        return new VertexValues(operational, aggregated);
    }

    private static (string Operational, string? Aggregated, int Priority) Lookup(ValuesFile? file, string? value)
    {
        var upper = value?.ToUpperInvariant();
        return upper is not null && file is not null && file.Values.TryGetValue(upper, out var mapped)
            ? (mapped.Operational, upper, mapped.Priority)
            : (OperationalValues.NotAvailable, upper, 0);
    }
}
