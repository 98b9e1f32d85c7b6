using PluginHost.Contracts;

namespace PluginHost.Configuration;

/// <summary>
/// Binds <c>[database]</c>: oslo.db's <c>connection</c> URL (only <c>sqlite:///</c> is supported; the
/// URL is never printed, it may hold a password) or, when unset, <c>history.db</c> in the state folder.
/// Another database's URL is Vitrage's own (every <c>vitrage.conf</c> has one): a warning, and the
/// history goes to the state folder, so an operator's file loads as it is.
/// </summary>
internal static class HistorySettingsLoader
{
    private const string SqlitePrefix = "sqlite:///";

    /// <summary>The default <c>[plugin_host] state_dir</c> of a service.</summary>
    public const string ServiceStateDir = "/var/lib/pluginhost";

    public static HistorySettings? Bind(ConfigFileSet files, string stateDir, ConfigDiagnostics diagnostics)
    {
        var section = new DatasourceSettings(SectionBinder.Bind(files, DatabaseOptionCatalog.DatabaseSection, DatabaseOptionCatalog.Database, diagnostics,
            warnOnUnknownKeys: false));
        var days = section.Get(DatabaseOptionCatalog.HistoryRetentionDays);
        var retention = days == 0 ? (TimeSpan?)null : TimeSpan.FromDays(days);
        var connection = section.Get(DatabaseOptionCatalog.Connection).Trim();
        var inStateDir = new HistorySettings(Path.Combine(stateDir, "history.db"), retention);
        if (connection.Length == 0)
        {
            return inStateDir;
        }

        var where = files.Get(DatabaseOptionCatalog.DatabaseSection, DatabaseOptionCatalog.Connection.Name)?.Location.ToString() ?? "(config)";
        const string Choices = "sqlite:////absolute/path/history.db or sqlite:///relative/path.db (or leave it unset for history.db in [plugin_host] state_dir)";
        var scheme = connection.IndexOf("://", StringComparison.Ordinal) is var end and > 0 ? connection[..end] : "(none)";
        if (string.Equals(scheme, "sqlite", StringComparison.OrdinalIgnoreCase) && connection.Length <= SqlitePrefix.Length)
        {
            // Meant for this host (Vitrage never runs on SQLite in memory), and it would keep nothing.
            diagnostics.Error($"{where}: [database] connection: an in-memory SQLite database keeps no history across restarts; PluginHost keeps its alarm history in a SQLite file: {Choices}");
            return null;
        }

        if (!connection.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase))
        {
            // Vitrage's own database (mysql+pymysql://… in every vitrage.conf): not ours to write, and
            // refusing it would refuse the operator's file. The history goes where it would unset.
            diagnostics.Warning($"{where}: [database] connection: the scheme '{Logging.LogText.Escape(scheme)}' is not one PluginHost writes (Vitrage's own database?): the alarm history goes to {inStateDir.DatabasePath}; to choose its file: {Choices}");
            return inStateDir;
        }

        // SQLAlchemy's form: what follows the third slash is the path (a fourth slash makes it absolute); options after '?' are not ours.
        var path = connection[SqlitePrefix.Length..].Split('?', 2)[0];
        return new HistorySettings(Path.GetFullPath(Uri.UnescapeDataString(path)), retention);
    }

    /// <summary>
    /// <c>[plugin_host] state_dir</c>, or when unset: <see cref="ServiceStateDir"/> when it exists and this
    /// user may write there (a service: systemd's <c>StateDirectory=pluginhost</c> or the install made
    /// it), else <c>$XDG_STATE_HOME/pluginhost</c> (<c>~/.local/state/pluginhost</c>). The host never
    /// creates a folder under /var/lib by itself: an ad-hoc run as root leaves the system alone.
    /// </summary>
    public static string StateDir(string configured)
    {
        if (configured.Length > 0)
        {
            return Path.GetFullPath(configured);
        }

        if (CanWrite(ServiceStateDir))
        {
            return ServiceStateDir;
        }

        var stateHome = Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(stateHome, "pluginhost");
    }

    // Trying is the only answer that holds for ACLs, read-only mounts and root alike; the probe is deleted at once.
    private static bool CanWrite(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return false;
        }

        try
        {
            using var probe = new FileStream(Path.Combine(folder, $".pluginhost-probe-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.Write,
                FileShare.None, 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
