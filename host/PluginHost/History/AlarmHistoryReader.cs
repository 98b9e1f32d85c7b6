using System.Text;
using Microsoft.Data.Sqlite;
using PluginHost.Outputs;

namespace PluginHost.History;

/// <summary>
/// Reads pages of the alarm history with Vitrage's semantics (its <c>history_facade.get_alarms</c>):
/// keyset paging on the sort keys (the row's id breaks ties), a filter value matches as SQL
/// <c>LIKE '%value%'</c>. Each read opens the file read-only for that read (WAL: the writer goes on).
/// </summary>
internal sealed class AlarmHistoryReader(string path)
{
    public string Path => path;

    /// <exception cref="SqliteException">The database cannot be read (locked past the busy timeout, damaged).</exception>
    /// <exception cref="UnknownMarkerException">The query's marker names no row the caller may see.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (the client went away).</exception>
    public List<HistoryAlarm> Read(AlarmHistoryQuery query, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = AlarmHistoryDatabase.OpenForReading(path);
        if (connection is null || !HasTable(connection))
        {
            return query.Marker is null ? [] : throw new UnknownMarkerException(query.Marker);
        }

        using var command = connection.CreateCommand();
        var where = new List<string>();
        AddTenancy(query, where, command);
        AddTimeFrame(query, where, command);
        AddFilters(query, where, command);
        var keys = query.SortBy.Any(k => k.Column == "vitrage_id") ? query.SortBy : [.. query.SortBy, ("vitrage_id", false)];
        var backwards = !query.NextPage && query.Marker is not null;
        var order = keys.Select(k => (Expression: Key(k.Column), Descending: k.Descending != backwards))
            .Append((Expression: "id", Descending: backwards)).ToList();
        if (query.Marker is not null && !AddMarker(connection, query, order, where, command))
        {
            throw new UnknownMarkerException(query.Marker);
        }

        var sql = new StringBuilder("SELECT payload, start_timestamp, end_timestamp FROM alarms");
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        sql.Append(" ORDER BY ").AppendJoin(", ", order.Select(o => $"{o.Expression} {(o.Descending ? "DESC" : "ASC")}"));
        sql.Append(" LIMIT $limit");
        command.Parameters.AddWithValue("$limit", query.Limit);
        command.CommandText = sql.ToString();
        var rows = new List<HistoryAlarm>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var end = reader.GetString(2);
                rows.Add(new HistoryAlarm(reader.GetString(0), reader.GetString(1), end == AlarmHistorySchema.NotEnded ? null : end));
            }
        }

        if (backwards)
        {
            rows.Reverse();
        }

        return rows;
    }

    /// <summary>
    /// The values under <paramref name="columns"/> (absent as empty text) of the newest row the query's
    /// marker names that the caller may see, or null: where <c>alarm list</c> goes on after an alarm
    /// that ended since its previous page (Vitrage serves the list from this table, so its marker is
    /// found there too).
    /// </summary>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public string[]? MarkerValues(AlarmHistoryQuery query, IReadOnlyList<string> columns, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = AlarmHistoryDatabase.OpenForReading(path);
        if (connection is null || !HasTable(connection) || query.Marker is null)
        {
            return null;
        }

        return FindMarkerRow(connection, query, [.. columns.Select(Key)]) is { } values
            ? [.. values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty)]
            : null;
    }

    // NULLs compare as empty text, so keyset paging never loses a row to SQL's three-valued logic.
    private static string Key(string column) => $"COALESCE({column}, '')";

    private static bool HasTable(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alarms'";
        return command.ExecuteScalar() is not null;
    }

    private static void AddTenancy(AlarmHistoryQuery query, List<string> where, SqliteCommand command)
    {
        if (query.AllTenants)
        {
            return;
        }

        command.Parameters.AddWithValue("$project", (object?)query.Project ?? DBNull.Value);
        where.Add(query.IncludeUnowned
            ? "(project_id = $project OR vitrage_resource_project_id = $project OR (project_id IS NULL AND vitrage_resource_project_id IS NULL))"
            : "(project_id = $project OR vitrage_resource_project_id = $project)");
    }

    // Vitrage's time frame: with start alone, what ended (or will end) after it; with both, what was active within.
    private static void AddTimeFrame(AlarmHistoryQuery query, List<string> where, SqliteCommand command)
    {
        if (query.Start is not { } start)
        {
            return;
        }

        command.Parameters.AddWithValue("$frameStart", EventJson.FormatTime(start));
        if (query.End is { } end)
        {
            command.Parameters.AddWithValue("$frameEnd", EventJson.FormatTime(end));
            where.Add("((start_timestamp >= $frameStart AND start_timestamp <= $frameEnd) OR (end_timestamp >= $frameStart AND end_timestamp <= $frameEnd) "
                + "OR (start_timestamp <= $frameStart AND end_timestamp >= $frameEnd))");
        }
        else
        {
            where.Add("end_timestamp >= $frameStart");
        }
    }

    private static void AddFilters(AlarmHistoryQuery query, List<string> where, SqliteCommand command)
    {
        for (var i = 0; i < query.Filters.Count; i++)
        {
            var (column, values) = query.Filters[i];
            var alternatives = new List<string>();
            for (var j = 0; j < values.Count; j++)
            {
                var name = FormattableString.Invariant($"$filter{i}_{j}");
                command.Parameters.AddWithValue(name, "%" + values[j] + "%");
                alternatives.Add($"{column} LIKE {name}");
            }

            where.Add("(" + string.Join(" OR ", alternatives) + ")");
        }
    }

    // Rows strictly after the marker row in the page's order: (k1 > m1) OR (k1 = m1 AND k2 > m2) OR ...
    // The marker row is looked for among the rows the caller may see: found anywhere, a page after
    // it told a project whether another project's alarm id exists (a hostile test, stop 39); so a
    // marker of another project's row is refused exactly as one that names nothing. Filters and the
    // time frame do not hide it (as in Vitrage): the page goes on from its place in the sort order.
    private static bool AddMarker(SqliteConnection connection, AlarmHistoryQuery query, List<(string Expression, bool Descending)> order, List<string> where, SqliteCommand command)
    {
        if (FindMarkerRow(connection, query, [.. order.Select(o => o.Expression)]) is not { } values)
        {
            return false;
        }

        var alternatives = new List<string>();
        for (var i = 0; i < order.Count; i++)
        {
            var equal = Enumerable.Range(0, i).Select(j => FormattableString.Invariant($"{order[j].Expression} = $marker{j}"));
            var beyond = FormattableString.Invariant($"{order[i].Expression} {(order[i].Descending ? "<" : ">")} $marker{i}");
            alternatives.Add("(" + string.Join(" AND ", equal.Append(beyond)) + ")");
            command.Parameters.AddWithValue(FormattableString.Invariant($"$marker{i}"), values[i]);
        }

        where.Add("(" + string.Join(" OR ", alternatives) + ")");
        return true;
    }

    // The newest row of the marker the caller may see: its values of the expressions, or null.
    private static object[]? FindMarkerRow(SqliteConnection connection, AlarmHistoryQuery query, IReadOnlyList<string> expressions)
    {
        using var find = connection.CreateCommand();
        var visible = new List<string> { "vitrage_id = $marker" };
        AddTenancy(query, visible, find);
        find.CommandText = $"SELECT {string.Join(", ", expressions)} FROM alarms WHERE {string.Join(" AND ", visible)} ORDER BY id DESC LIMIT 1";
        find.Parameters.AddWithValue("$marker", query.Marker);
        using var reader = find.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var values = new object[expressions.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.GetValue(i);
        }

        return values;
    }
}
