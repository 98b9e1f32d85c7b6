using Microsoft.Data.Sqlite;

namespace PluginHost.History;

/// <summary>
/// The history database's schema, created and migrated by the host: <c>PRAGMA user_version</c>
/// holds the version, and each migration moves it up by one inside a transaction, so an
/// interrupted migration is repeated, never half applied. A database newer than this host is
/// refused (never downgraded).
/// </summary>
internal static class AlarmHistorySchema
{
    /// <summary>What an active alarm's end_timestamp holds: Vitrage's own "not ended" date, so the end sorts last.</summary>
    public const string NotEnded = "2222-02-22T22:22:22.000000Z";

    /// <summary>Migration n takes the schema from version n to n + 1.</summary>
    private static readonly string[] Migrations =
    [
        // 1: Vitrage's alarms table (one row per activation: an alarm that ends and comes back has two).
        $"""
        CREATE TABLE alarms (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            vitrage_id TEXT NOT NULL,
            start_timestamp TEXT NOT NULL,
            end_timestamp TEXT NOT NULL DEFAULT '{NotEnded}',
            name TEXT NOT NULL,
            vitrage_type TEXT NOT NULL,
            vitrage_aggregated_severity TEXT,
            vitrage_operational_severity TEXT,
            project_id TEXT,
            vitrage_resource_type TEXT,
            vitrage_resource_id TEXT,
            vitrage_resource_project_id TEXT,
            vitrage_datasource_name TEXT,
            payload TEXT NOT NULL,
            UNIQUE (vitrage_id, start_timestamp));
        CREATE INDEX ix_alarms_start ON alarms (start_timestamp);
        CREATE INDEX ix_alarms_end ON alarms (end_timestamp);
        CREATE INDEX ix_alarms_open ON alarms (vitrage_datasource_name, end_timestamp);
        """,
    ];

    public static int Version => Migrations.Length;

    /// <exception cref="InvalidOperationException">The database was written by a newer host.</exception>
    public static void Migrate(SqliteConnection connection)
    {
        while (true)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var current = Convert.ToInt32(Scalar(connection, transaction, "PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);
            if (current == Version)
            {
                return;
            }

            if (current > Version)
            {
                throw new InvalidOperationException(
                    $"its schema is version {current}, newer than this host's {Version}: it was written by a newer PluginHost");
            }

            Execute(connection, transaction, Migrations[current]);
            Execute(connection, transaction, $"PRAGMA user_version = {current + 1}");
            transaction.Commit();
        }
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
