using PluginHost.Configuration;

namespace PluginHost.Scheduling;

/// <summary>What a reload changed, compared setting by setting.</summary>
internal static class ConfigurationDiff
{
    /// <summary>Host settings a running process cannot change: they need a restart.</summary>
    public static IEnumerable<(string What, string Before, string After)> RestartOnly(HostSettings before, HostSettings after)
    {
        if (!before.PluginPaths.SequenceEqual(after.PluginPaths, StringComparer.Ordinal))
        {
            yield return ("[datasources] plugin_path", string.Join(",", before.PluginPaths), string.Join(",", after.PluginPaths));
        }

        if (before.QueueCapacity != after.QueueCapacity)
        {
            yield return ("[plugin_host] queue_capacity", Invariant(before.QueueCapacity), Invariant(after.QueueCapacity));
        }

        if (before.RetryInitialDelay != after.RetryInitialDelay || before.RetryMaxDelay != after.RetryMaxDelay)
        {
            yield return ("[plugin_host] retry_initial_delay/retry_max_delay",
                $"{before.RetryInitialDelay.TotalSeconds}/{before.RetryMaxDelay.TotalSeconds}", $"{after.RetryInitialDelay.TotalSeconds}/{after.RetryMaxDelay.TotalSeconds}");
        }

        // The API reads the history the running output writes, and the values were read at start.
        if (before.History != after.History)
        {
            yield return ("[database] connection/history_retention_days or [plugin_host] state_dir",
                Describe(before.History), Describe(after.History));
        }

        if (before.ReleaseMemoryBelowMiB != after.ReleaseMemoryBelowMiB)
        {
            yield return ("[plugin_host] release_memory_below", Invariant(before.ReleaseMemoryBelowMiB), Invariant(after.ReleaseMemoryBelowMiB));
        }

        if (before.DatasourcesValuesDir != after.DatasourcesValuesDir)
        {
            yield return ("[entity_graph] datasources_values_dir", before.DatasourcesValuesDir, after.DatasourcesValuesDir);
        }

        // The API's listener and its authentication are built once, at start. Said, not ignored: an
        // operator who turns on Keystone or TLS by a reload must not believe it is in force.
        if ((before.Api with { Keystone = null, AllowedHosts = [] }) != (after.Api with { Keystone = null, AllowedHosts = [] }))
        {
            yield return ("[api]", Describe(before.Api), Describe(after.Api));
        }

        if (!before.Api.AllowedHosts.SequenceEqual(after.Api.AllowedHosts, StringComparer.OrdinalIgnoreCase))
        {
            yield return ("[api] allowed_hosts", string.Join(",", before.Api.AllowedHosts), string.Join(",", after.Api.AllowedHosts));
        }

        if (before.Api.Keystone != after.Api.Keystone)
        {
            var samePassword = before.Api.Keystone is { } b && after.Api.Keystone is { } a && b.Password == a.Password;
            yield return ("[keystone_authtoken]", Describe(before.Api.Keystone, null),
                Describe(after.Api.Keystone, samePassword || after.Api.Keystone is null || before.Api.Keystone is null ? null : "another password"));
        }
    }

    private static string Describe(ApiSettings api) => !api.Enabled ? "disabled" : string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{(api.CertFile is null ? "http" : "https")}://{api.Host}:{api.Port}, auth_mode {(api.AuthMode == ApiAuthMode.Keystone ? "keystone" : "noauth")}{(api.CertFile is null ? string.Empty : $", cert_file {api.CertFile}, key_file {api.KeyFile}")}");

    // Never the password: only whether it changed.
    private static string Describe(KeystoneSettings? keystone, string? passwordNote) =>
        keystone is null ? "none" : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{keystone}, ca_file {keystone.CaFile ?? "none"}, insecure {keystone.Insecure}, timeout {keystone.Timeout.TotalSeconds} s, cache {keystone.CacheTime.TotalSeconds} s{(passwordNote is null ? string.Empty : ", " + passwordNote)}");

    // The database path, never the connection URL (it may hold a password).
    private static string Describe(HistorySettings? history) =>
        history is null ? "none" : $"{history.DatabasePath} (kept {(history.Retention is { } r ? Invariant((int)r.TotalDays) + " days" : "for ever")})";

    /// <summary><paramref name="after"/>, with the restart-only settings still those that run.</summary>
    public static HostSettings KeepRestartOnly(HostSettings running, HostSettings after) => after with
    {
        PluginPaths = running.PluginPaths,
        QueueCapacity = running.QueueCapacity,
        RetryInitialDelay = running.RetryInitialDelay,
        RetryMaxDelay = running.RetryMaxDelay,
        History = running.History,
        DatasourcesValuesDir = running.DatasourcesValuesDir,
        ReleaseMemoryBelowMiB = running.ReleaseMemoryBelowMiB,
        Api = running.Api,
    };

    public static bool OutputsDiffer(HostSettings before, HostSettings after) =>
        before.GraphFile != after.GraphFile || before.EventLog != after.EventLog || !SameNotifications(before.Notifications, after.Notifications);

    /// <summary>
    /// Whether two configurations of one datasource differ only in their intervals. A file a path
    /// option names that was edited (same path, another length or write time) counts as a change:
    /// the driver read it when it was made (the Kubernetes config_file), and an operator who renewed
    /// the token in it and reloaded must not see the old one go on failing until a restart.
    /// </summary>
    public static bool OnlyIntervalsDiffer(DatasourceConfiguration before, DatasourceConfiguration after) =>
        before.Plugin == after.Plugin && before.Instance == after.Instance && before.UpdateMethod == after.UpdateMethod
        && SameValues(before.Values, after.Values, ignore: [HostOptionCatalog.SnapshotsInterval, HostOptionCatalog.ChangesInterval])
        && EditedFiles(before, after).Count == 0;

    /// <summary>
    /// The path options whose file changed between the two (the paths being the same), as "option
    /// path", then the files the running driver read once when it was made (<see cref="DatasourceConfiguration.DriverFiles"/>)
    /// that changed since, as "path" (one a path option names is told as that option). Before: only
    /// the path options' files counted, and a client certificate renewed in a file the kubeconfig
    /// names went on being refused after a reload, until a restart.
    /// </summary>
    public static IReadOnlyList<string> EditedFiles(DatasourceConfiguration before, DatasourceConfiguration after)
    {
        var optionPaths = after.Files.Keys.Select(k => after.Values.GetValueOrDefault(k)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return
        [
            .. after.Files
                .Where(f => before.Files.TryGetValue(f.Key, out var earlier) && earlier != f.Value
                    && SameValue(before.Values.GetValueOrDefault(f.Key), after.Values.GetValueOrDefault(f.Key)))
                .Select(f => $"{f.Key} {after.Values.GetValueOrDefault(f.Key)}"),
            .. before.DriverFiles.Where(f => !optionPaths.Contains(f.Key) && FileStamp.Of(f.Key) != f.Value).Select(f => f.Key),
        ];
    }

    public static bool SameValues(IReadOnlyDictionary<string, object?> a, IReadOnlyDictionary<string, object?> b, params string[] ignore)
    {
        var keys = a.Keys.Concat(b.Keys).Distinct(StringComparer.OrdinalIgnoreCase).Where(k => !ignore.Contains(k, StringComparer.OrdinalIgnoreCase));
        return keys.All(k => SameValue(a.GetValueOrDefault(k), b.GetValueOrDefault(k)));
    }

    /// <summary>Whether the plugins' sections differ in anything but the schedule (what transformers may read).</summary>
    public static bool SameTransformerSettings(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> a, IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other)
            && SameValues(p.Value, other, HostOptionCatalog.SnapshotsInterval, HostOptionCatalog.ChangesInterval, HostOptionCatalog.UpdateMethodOption));

    private static bool SameValue(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (IEnumerable<string> x, IEnumerable<string> y) => x.SequenceEqual(y, StringComparer.Ordinal),
        _ => Equals(a, b),
    };

    private static bool SameNotifications(NotificationSettings? a, NotificationSettings? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return a.Transport.Hosts.SequenceEqual(b.Transport.Hosts) && a.Transport.VirtualHost == b.Transport.VirtualHost
            && a.Transport.Query.Count == b.Transport.Query.Count && a.Transport.Query.All(q => b.Transport.Query.GetValueOrDefault(q.Key) == q.Value)
            && a.Topics.SequenceEqual(b.Topics, StringComparer.Ordinal)
            && (a with { Transport = b.Transport, Topics = b.Topics }) == b;
    }

    private static string Invariant(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
