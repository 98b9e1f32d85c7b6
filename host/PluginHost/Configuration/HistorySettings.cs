namespace PluginHost.Configuration;

/// <summary>The alarm history's validated settings.</summary>
/// <param name="DatabasePath">The SQLite file.</param>
/// <param name="Retention">How long ended alarms are kept; <c>null</c>: for ever.</param>
internal sealed record HistorySettings(string DatabasePath, TimeSpan? Retention);
