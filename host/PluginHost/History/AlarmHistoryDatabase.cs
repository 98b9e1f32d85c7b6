using Microsoft.Data.Sqlite;

namespace PluginHost.History;

/// <summary>Opens the history file: created with mode 0640 (it names the cluster's nodes), WAL (synchronous = NORMAL), a bounded busy wait, the schema up to date.</summary>
internal static class AlarmHistoryDatabase
{
    /// <summary>How long a statement waits for another process's lock before it fails (and is retried later).</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(5);

    public static SqliteConnection OpenForWriting(string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        if (!File.Exists(path) && !OperatingSystem.IsWindows())
        {
            using (new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
            }))
            {
            }
        }

        var connection = Open(path, SqliteOpenMode.ReadWriteCreate);
        try
        {
            Execute(connection, "PRAGMA journal_mode = WAL");

            // WAL's usual durability: a commit is safe from a crash of the host, and synced to disk at each
            // checkpoint rather than at each commit (with a watch, alarms start and end many times a second).
            Execute(connection, "PRAGMA synchronous = NORMAL");
            AlarmHistorySchema.Migrate(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>A connection for one read; <c>null</c> when there is no database yet.</summary>
    public static SqliteConnection? OpenForReading(string path) => File.Exists(path) ? Open(path, SqliteOpenMode.ReadOnly) : null;

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString());
        connection.Open();
        Execute(connection, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
