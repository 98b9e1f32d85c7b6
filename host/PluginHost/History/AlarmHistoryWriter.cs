using Microsoft.Data.Sqlite;

namespace PluginHost.History;

/// <summary>
/// Writes batches of history work on one connection (which it owns), each batch in one transaction
/// (all or nothing, so a failed batch is simply tried again). The statements every alarm start and
/// end runs are prepared once: with a watch, alarms start and end many times a second.
/// </summary>
internal sealed class AlarmHistoryWriter(SqliteConnection connection) : IDisposable
{
    private const string Columns = "vitrage_id, start_timestamp, name, vitrage_type, vitrage_aggregated_severity, vitrage_operational_severity, "
        + "project_id, vitrage_resource_type, vitrage_resource_id, vitrage_resource_project_id, vitrage_datasource_name, payload";

    // "+end_timestamp" keeps SQLite off ix_alarms_end, which it would otherwise pick for these lookups
    // (an equality on its first column too): that walks every open alarm, thousands, for each alarm that
    // starts or ends. The alarm's own rows are found through UNIQUE (vitrage_id, start_timestamp).
    // An alarm that starts again with the start of a row that already ended (a condition that flapped
    // within one second: Kubernetes stamps whole seconds) opens that row again; ignored, the live
    // alarm had no open row and the history showed it ended.
    internal const string StartSql =
        $"INSERT INTO alarms ({Columns}) SELECT $id, $start, $name, $type, $aggregated, $operational, $project, $resourceType, $resourceId, $resourceProject, $datasource, $payload "
        + "WHERE NOT EXISTS (SELECT 1 FROM alarms WHERE vitrage_id = $id AND +end_timestamp = $open) "
        + "ON CONFLICT (vitrage_id, start_timestamp) DO UPDATE SET end_timestamp = $open, name = excluded.name, vitrage_type = excluded.vitrage_type, "
        + "vitrage_aggregated_severity = excluded.vitrage_aggregated_severity, vitrage_operational_severity = excluded.vitrage_operational_severity, "
        + "project_id = excluded.project_id, vitrage_resource_type = excluded.vitrage_resource_type, vitrage_resource_id = excluded.vitrage_resource_id, "
        + "vitrage_resource_project_id = excluded.vitrage_resource_project_id, vitrage_datasource_name = excluded.vitrage_datasource_name, payload = excluded.payload";

    // An end is the host's clock, a start often the datasource's (a node condition's lastTransitionTime,
    // the API server's clock): with a cluster whose clock runs ahead, a short alarm ended before it
    // started, and Vitrage's time-frame queries (start <= t <= end) never found it. Such an end is
    // recorded as the start. Both are text in one format (AlarmRows.Time), so MAX compares them.
    internal const string EndSql = "UPDATE alarms SET end_timestamp = MAX(start_timestamp, $end) WHERE vitrage_id = $id AND +end_timestamp = $open";

    private SqliteCommand? _start;
    private SqliteCommand? _end;

    public void Write(IReadOnlyList<AlarmHistoryWork> batch)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var work in batch)
        {
            switch (work)
            {
                case AlarmStarted { Row: var row }:
                    Run(_start ??= Prepare(StartSql, "$id", "$start", "$name", "$type", "$aggregated", "$operational", "$project", "$resourceType",
                            "$resourceId", "$resourceProject", "$datasource", "$payload", "$open"), transaction,
                        row.VitrageId, row.StartTimestamp, row.Name, row.Type, row.AggregatedSeverity, row.OperationalSeverity, row.ProjectId,
                        row.ResourceType, row.ResourceId, row.ResourceProjectId, row.Datasource, row.Payload, AlarmHistorySchema.NotEnded);
                    break;
                case AlarmEnded ended:
                    Run(_end ??= Prepare(EndSql, "$end", "$id", "$open"), transaction, ended.End, ended.VitrageId, AlarmHistorySchema.NotEnded);
                    break;
                case DatasourceReconciled reconciled:
                    Reconcile(transaction, reconciled);
                    break;
                case DisabledDatasourcesEnded disabled:
                    EndDisabled(transaction, disabled);
                    break;
            }
        }

        transaction.Commit();
    }

    /// <summary>Deletes ended alarms that ended before <paramref name="cutoff"/>; returns how many.</summary>
    public int Prune(string cutoff)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var deleted = Execute(transaction, "DELETE FROM alarms WHERE end_timestamp < $cutoff", ("$cutoff", cutoff));
        transaction.Commit();
        return deleted;
    }

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        return command;
    }

    // The values in the order of the prepared command's parameters.
    private static void Run(SqliteCommand command, SqliteTransaction transaction, params object?[] values)
    {
        command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }

    private void Reconcile(SqliteTransaction transaction, DatasourceReconciled reconciled) =>
        EndOpenRows(transaction,
            "SELECT id, vitrage_id FROM alarms WHERE vitrage_datasource_name = $datasource AND end_timestamp = $open",
            ("$datasource", reconciled.Datasource), row => !reconciled.Active.Contains(row.GetString(1)), reconciled.At);

    private void EndDisabled(SqliteTransaction transaction, DisabledDatasourcesEnded disabled) =>
        EndOpenRows(transaction,
            "SELECT id, vitrage_datasource_name FROM alarms WHERE end_timestamp = $open AND vitrage_datasource_name IS NOT NULL",
            null, row => row.GetString(1) is var datasource && !disabled.Enabled.Contains(datasource) && disabled.Plugins.Contains(datasource.Split('/', 2)[0]),
            disabled.At);

    // Ends, at end, the open rows that selectOpen returns (the row id first) and isStale picks:
    // read first, then updated, so the reader is closed before the updates.
    private void EndOpenRows(SqliteTransaction transaction, string selectOpen, (string Name, object Value)? parameter,
        Func<SqliteDataReader, bool> isStale, string end)
    {
        var stale = new List<long>();
        using (var open = connection.CreateCommand())
        {
            open.Transaction = transaction;
            open.CommandText = selectOpen;
            open.Parameters.AddWithValue("$open", AlarmHistorySchema.NotEnded);
            if (parameter is var (name, value))
            {
                open.Parameters.AddWithValue(name, value);
            }

            using var reader = open.ExecuteReader();
            while (reader.Read())
            {
                if (isStale(reader))
                {
                    stale.Add(reader.GetInt64(0));
                }
            }
        }

        foreach (var id in stale)
        {
            Execute(transaction, "UPDATE alarms SET end_timestamp = MAX(start_timestamp, $end) WHERE id = $row", ("$end", end), ("$row", id)); // as EndSql
        }
    }

    private int Execute(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _start?.Dispose();
        _end?.Dispose();
        connection.Dispose();
    }
}
