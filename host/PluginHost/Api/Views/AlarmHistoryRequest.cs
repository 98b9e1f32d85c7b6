using System.Globalization;
using PluginHost.History;

namespace PluginHost.Api.Views;

/// <summary>
/// <c>GET /v1/alarm/history/</c>'s parameters as the vitrage client sends them (<c>all_tenants</c>,
/// <c>start</c>, <c>end</c>, <c>limit</c>, repeated <c>sort_by</c> and <c>sort_dirs</c>,
/// <c>filter_by</c>/<c>filter_vals</c>, <c>next_page</c>, <c>marker</c>), checked as Vitrage checks
/// them; a mistake is a 400 that names it (Vitrage answers 500 or an empty list).
/// </summary>
internal static class AlarmHistoryRequest
{
    /// <exception cref="ApiException">400 for a parameter Vitrage would refuse.</exception>
    public static AlarmHistoryQuery Parse(RequestParameters parameters, TenantScope scope)
    {
        var start = Time(parameters, "start");
        var end = Time(parameters, "end");
        if (end is not null && start is null)
        {
            throw ApiException.BadRequest("'end' can't be used without 'start'");
        }

        var keys = SortKeys(parameters);
        var limit = parameters.GetInt("limit", min: 0) ?? AlarmHistoryQuery.MaxLimit;
        return new AlarmHistoryQuery
        {
            Start = start,
            End = end,
            SortBy = keys,
            Filters = Filters(parameters),
            Limit = limit == 0 ? AlarmHistoryQuery.MaxLimit : Math.Min(limit, AlarmHistoryQuery.MaxLimit),
            Marker = Marker(parameters),
            NextPage = NextPage(parameters),
            AllTenants = scope.AllTenants,
            Project = scope.Project,
            IncludeUnowned = scope.IncludesUnowned,
        };
    }

    /// <summary>Repeated <c>sort_by</c> and <c>sort_dirs</c> (default: start, then vitrage_id, ascending).</summary>
    public static List<(string Column, bool Descending)> SortKeys(RequestParameters parameters)
    {
        var sortBy = parameters.GetStrings("sort_by");
        var sortDirs = parameters.GetStrings("sort_dirs");
        // SQLite refuses an ORDER BY of more than 2,000 terms, which answered 503 "cannot be read
        // now" as if the history were broken; a key beyond the number of columns repeats one anyway.
        if (sortBy.Count > AlarmHistoryQuery.Columns.Count)
        {
            throw ApiException.BadRequest($"sort_by names {sortBy.Count} keys; the alarm history has {AlarmHistoryQuery.Columns.Count} columns to sort on");
        }
        return (sortBy.Count == 0 ? ["start_timestamp", "vitrage_id"] : sortBy).Select((column, i) =>
        {
            var direction = i < sortDirs.Count ? sortDirs[i] : "asc";
            return direction is "asc" or "desc"
                ? (Column(column, "sort_by"), direction == "desc")
                : throw ApiException.BadRequest($"Unknown sort direction {direction} (sort_dirs: asc or desc)");
        }).ToList();
    }

    /// <summary>The most <c>filter_by</c>/<c>filter_vals</c> pairs a request may send.</summary>
    public const int MaxFilters = 100;

    /// <summary><c>filter_by</c> and <c>filter_vals</c>, pairwise: the column contains the value.</summary>
    public static List<(string Column, IReadOnlyList<string> Values)> Filters(RequestParameters parameters)
    {
        var filterBy = parameters.GetStrings("filter_by");
        var filterVals = parameters.GetStrings("filter_vals");
        if (filterBy.Count != filterVals.Count)
        {
            throw ApiException.BadRequest("Cannot perform filtering: filter_by and filter_vals must have the same length");
        }

        // Each filter is one more level of SQLite's expression tree, which stops at 1,000 (a 503, as if
        // the history were broken); a person or a script filters on a few columns.
        if (filterBy.Count > MaxFilters)
        {
            throw ApiException.BadRequest($"filter_by names {filterBy.Count} filters; at most {MaxFilters} are taken");
        }

        return filterBy.Select((column, i) => (Column(column, "filter_by"), (IReadOnlyList<string>)[filterVals[i]])).ToList();
    }

    /// <summary>The <c>vitrage_id</c> a page continues after (or before).</summary>
    public static string? Marker(RequestParameters parameters) => parameters.GetString("marker") is { Length: > 0 } marker ? marker : null;

    public static bool NextPage(RequestParameters parameters) => parameters.GetString("next_page")?.Trim().ToLowerInvariant() != "false";

    private static string Column(string column, string parameter) =>
        AlarmHistoryQuery.Columns.Contains(column, StringComparer.Ordinal)
            ? column
            : throw ApiException.BadRequest($"{parameter} = '{column}': not a column of the alarm history ({string.Join(", ", AlarmHistoryQuery.Columns)})");

    private static DateTimeOffset? Time(RequestParameters parameters, string name) =>
        parameters.GetString(name) is not { Length: > 0 } text ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time
        : throw ApiException.BadRequest($"{name} = '{text}': not a date and time (e.g. 2026-03-01T12:00:00Z)");
}
