namespace PluginHost.History;

/// <summary>
/// One page of the alarm history, as Vitrage's <c>get_alarms</c> takes it: a time frame, filters
/// (each a column containing one of its values), sort keys with directions, a page size, and a
/// marker (the <c>vitrage_id</c> of the row the page continues after, or before for the previous page).
/// </summary>
internal sealed record AlarmHistoryQuery
{
    /// <summary>Vitrage's largest page, and what it returns without a limit.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>The alarms table's columns one may sort or filter on (Vitrage's list).</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "vitrage_id", "start_timestamp", "end_timestamp", "name", "vitrage_type", "vitrage_aggregated_severity",
        "vitrage_operational_severity", "project_id", "vitrage_resource_type", "vitrage_resource_id", "vitrage_resource_project_id", "payload",
    ];

    /// <summary>Alarms active some time after this (and, with <see cref="End"/>, before that).</summary>
    public DateTimeOffset? Start { get; init; }

    public DateTimeOffset? End { get; init; }

    public IReadOnlyList<(string Column, bool Descending)> SortBy { get; init; } = [("start_timestamp", false), ("vitrage_id", false)];

    public IReadOnlyList<(string Column, IReadOnlyList<string> Values)> Filters { get; init; } = [];

    public int Limit { get; init; } = MaxLimit;

    public string? Marker { get; init; }

    /// <summary><c>false</c>: the page before <see cref="Marker"/>.</summary>
    public bool NextPage { get; init; } = true;

    /// <summary>Only alarms of this project (or on its resources); <c>null</c>: every project.</summary>
    public string? Project { get; init; }

    /// <summary>With <see cref="Project"/>: also alarms that belong to no project (an admin's view).</summary>
    public bool IncludeUnowned { get; init; }

    /// <summary>Every project's alarms (all_tenants).</summary>
    public bool AllTenants { get; init; } = true;
}

/// <summary>A history row as the API shows it: the alarm as it was when it started, and its times.</summary>
/// <param name="End">When it ended; <c>null</c> while it is active.</param>
internal sealed record HistoryAlarm(string Payload, string Start, string? End);
