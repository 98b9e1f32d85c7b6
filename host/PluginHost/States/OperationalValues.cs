using PluginHost.Contracts;

namespace PluginHost.States;

/// <summary>
/// The values Vitrage's datasource values files may map to (its <c>OperationalResourceState</c> and
/// <c>OperationalAlarmSeverity</c>), and the two words it writes when it cannot map.
/// </summary>
internal static class OperationalValues
{
    /// <summary>What an unmapped value becomes (Vitrage's default entry, priority 0).</summary>
    public const string NotAvailable = "N/A";

    /// <summary>Both values of a vertex whose type is a datasource's own but has no values file.</summary>
    public const string UndefinedDatasource = "undefined datasource";

    public static IReadOnlyList<string> Resource { get; } = [NotAvailable, "OK", "TRANSIENT", "SUBOPTIMAL", "ERROR", "DELETED"];

    public static IReadOnlyList<string> Alarm { get; } = ["CRITICAL", "SEVERE", "WARNING", NotAvailable, "OK"];

    /// <summary>The allowed operational values of <paramref name="category"/>, or <c>null</c> for a category Vitrage does not know.</summary>
    public static IReadOnlyList<string>? For(string category) => category switch
    {
        EntityCategories.Resource => Resource,
        EntityCategories.Alarm => Alarm,
        _ => null,
    };
}
