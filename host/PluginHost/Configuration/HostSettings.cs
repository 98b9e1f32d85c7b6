namespace PluginHost.Configuration;

/// <summary>The host's own validated settings.</summary>
internal sealed record HostSettings
{
    public IReadOnlyList<string> EnabledTypes { get; init; } = [];

    public IReadOnlyList<string> PluginPaths { get; init; } = [];

    public TimeSpan SnapshotsInterval { get; init; } = TimeSpan.FromSeconds(600);

    public string? GraphFile { get; init; }

    public string? EventLog { get; init; }

    public int QueueCapacity { get; init; } = 256;

    public TimeSpan DeletedEntityRetention { get; init; } = TimeSpan.FromSeconds(600);

    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(300);

    public string LogLevel { get; init; } = "info";

    /// <summary>oslo.log's settings: where and how log lines are written.</summary>
    public Logging.LogSettings Logging { get; init; } = PluginHost.Logging.LogSettings.Default;

    /// <summary>How long a stop may take before the process exits anyway.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>release_memory_below</c>: <c>run</c> releases memory after a snapshot while the heap is at most this, and once after the first at any size (0: never).</summary>
    public long ReleaseMemoryBelowMiB { get; init; } = Operations.MemoryRelease.DefaultBelowMiB;

    /// <summary>The REST API (<c>[api]</c>).</summary>
    public ApiSettings Api { get; init; } = new();

    /// <summary><c>[entity_graph] datasources_values_dir</c>: the operator's datasource values files.</summary>
    public string DatasourcesValuesDir { get; init; } = "/etc/vitrage/datasources_values";

    /// <summary>The alarm history (<c>[database]</c>); <c>null</c> only when its configuration is in error.</summary>
    public HistorySettings? History { get; init; }

    /// <summary>The oslo.messaging notification output; <c>null</c> when <c>driver = noop</c>.</summary>
    public NotificationSettings? Notifications { get; init; }
}
