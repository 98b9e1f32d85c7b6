namespace PluginHost.Graph;

/// <summary>
/// What the graph adds to an alarm vertex, as Vitrage's processor does: when it started and the
/// resource it is <c>on</c> (<c>vitrage_resource_id</c>, <c>vitrage_resource_type</c>,
/// <c>vitrage_resource_project_id</c>).
/// </summary>
/// <param name="StartTimestamp">The datasource's <c>start_timestamp</c>; without one, the sample time of
/// the update that activated the alarm, kept while it stays active.</param>
internal sealed record AlarmDetails(string StartTimestamp, string? ResourceVitrageId, string? ResourceType, string? ResourceProjectId);
