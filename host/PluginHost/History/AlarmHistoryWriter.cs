using Microsoft.Data.Sqlite;

namespace PluginHost.History;

/// <summary>Writes batches of history work, each batch in one transaction (all or nothing, so a failed batch is simply tried again).</summary>
internal static class AlarmHistoryWriter
{
    private const string Columns = "vitrage_id, start_timestamp, name, vitrage_type, vitrage_aggregated_severity, vitrage_operational_severity, "
        + "project_id, vitrage_resource_type, vitrage_resource_id, vitrage_resource_project_id, vitrage_datasource_name, payload";

    public static void Write(SqliteConnection connection, IReadOnlyList<AlarmHistoryWork> batch)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var work in batch)
        {
            switch (work)
            {
                case AlarmStarted started:
                    Start(connection, transaction, started.Row);
                    break;
                case AlarmEnded ended:
                    Execute(connection, transaction, "UPDATE alarms SET end_timestamp = $end WHERE vitrage_id = $id AND end_timestamp = $open",
                        ("$end", ended.End), ("$id", ended.VitrageId), ("$open", AlarmHistorySchema.NotEnded));
                    break;
                case DatasourceReconciled reconciled:
                    Reconcile(connection, transaction, reconciled);
                    break;
            }
        }

        transaction.Commit();
    }

    /// <summary>Deletes ended alarms that ended before <paramref name="cutoff"/>; returns how many.</summary>
    public static int Prune(SqliteConnection connection, string cutoff)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var deleted = Execute(connection, transaction, "DELETE FROM alarms WHERE end_timestamp < $cutoff", ("$cutoff", cutoff));
        transaction.Commit();
        return deleted;
    }

    private static void Start(SqliteConnection connection, SqliteTransaction transaction, AlarmRow row) =>
        Execute(connection, transaction,
            $"INSERT OR IGNORE INTO alarms ({Columns}) SELECT $id, $start, $name, $type, $aggregated, $operational, $project, $resourceType, $resourceId, $resourceProject, $datasource, $payload "
            + "WHERE NOT EXISTS (SELECT 1 FROM alarms WHERE vitrage_id = $id AND end_timestamp = $open)",
            ("$id", row.VitrageId), ("$start", row.StartTimestamp), ("$name", row.Name), ("$type", row.Type),
            ("$aggregated", row.AggregatedSeverity), ("$operational", row.OperationalSeverity), ("$project", row.ProjectId),
            ("$resourceType", row.ResourceType), ("$resourceId", row.ResourceId), ("$resourceProject", row.ResourceProjectId),
            ("$datasource", row.Datasource), ("$payload", row.Payload), ("$open", AlarmHistorySchema.NotEnded));

    private static void Reconcile(SqliteConnection connection, SqliteTransaction transaction, DatasourceReconciled reconciled)
    {
        var stale = new List<long>();
        using (var open = connection.CreateCommand())
        {
            open.Transaction = transaction;
            open.CommandText = "SELECT id, vitrage_id FROM alarms WHERE vitrage_datasource_name = $datasource AND end_timestamp = $open";
            open.Parameters.AddWithValue("$datasource", reconciled.Datasource);
            open.Parameters.AddWithValue("$open", AlarmHistorySchema.NotEnded);
            using var reader = open.ExecuteReader();
            while (reader.Read())
            {
                if (!reconciled.Active.Contains(reader.GetString(1)))
                {
                    stale.Add(reader.GetInt64(0));
                }
            }
        }

        foreach (var id in stale)
        {
            Execute(connection, transaction, "UPDATE alarms SET end_timestamp = $end WHERE id = $row", ("$end", reconciled.At), ("$row", id));
        }
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
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
}
