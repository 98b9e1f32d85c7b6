using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>The <c>[kubernetes]</c> options, declared once, and their typed values.</summary>
internal sealed record KubernetesOptions
{
    private const int MaxPageBytesDefault = 64 << 20;

    public static readonly OptionDefinition<string> ConfigFileOption = OptionDefinition.Path("config_file", string.Empty,
        "Kubeconfig file, read with kubectl's rules. Empty: $KUBECONFIG (its files merged as kubectl merges them), then ~/.kube/config, then the pod's service account (in-cluster).");

    public static readonly OptionDefinition<string> ContextOption = OptionDefinition.String("context", string.Empty,
        "Kubeconfig context to use. Empty: the kubeconfig's current-context. Leave it empty when contexts is set.");

    public static readonly OptionDefinition<IReadOnlyList<string>> ContextsOption = OptionDefinition.List("contexts", string.Empty,
        "Several clusters in one host: kubeconfig contexts to read, each as its own datasource kubernetes/<context> with its own cluster vertex, schedule, backoff and deletions; * reads every context of the kubeconfig (one per cluster). Empty: one datasource, kubernetes, for context.");

    public static readonly OptionDefinition<string> ClusterNameOption = OptionDefinition.String("cluster_name", string.Empty,
        "Name of the cluster vertex (RESOURCE:kubernetes:<name>). Empty: the context's cluster name, as Vitrage does. Only for one cluster: not with contexts = * or several contexts.");

    public static readonly OptionDefinition<int> PageSizeOption = OptionDefinition.Int("page_size", 500,
        "Nodes per list request (limit/continue paging, like kubectl and client-go).", min: 1, max: 10000);

    public static readonly OptionDefinition<TimeSpan> RequestTimeoutOption = OptionDefinition.Seconds("request_timeout", 60,
        "Seconds one API request (one page, headers and body) or one run of an exec credential plugin may take before the snapshot fails.", min: 1, max: 3600);

    public static readonly OptionDefinition<TimeSpan> SnapshotTimeoutOption = OptionDefinition.Seconds("snapshot_timeout", 300,
        "Seconds a whole snapshot (every page, /version) may take before it fails; it also ends paging that never ends.", min: 1, max: 86400);

    public static readonly OptionDefinition<int> MaxPageBytesOption = OptionDefinition.Int("max_page_bytes", MaxPageBytesDefault,
        "Largest node list page read, in bytes (a 500-node page of real nodes is about 2.5 MB); a larger page fails the snapshot instead of filling memory.",
        min: 1 << 16, max: 1 << 30);

    public static readonly OptionDefinition<string> UpdateMethodOption = OptionDefinition.Enum("update_method", "none", ["none", "push"],
        "none: every snapshots_interval the whole node list is read. push: besides, the nodes are watched (list + watch, as client-go's informers), so a change reaches the graph within a second; snapshots_interval then only resyncs.");

    // Redeclared only for its help: the host's speaks of pull, which this datasource does not have.
    public static readonly OptionDefinition<int> ChangesIntervalOption = OptionDefinition.Int("changes_interval", 30,
        "Not used by this datasource: it has no pull mode, and push streams changes as they happen.", min: 10);

    public static readonly OptionDefinition<string> UseWatchListOption = OptionDefinition.Enum("use_watch_list", "auto", ["auto", "true", "false"],
        "With update_method = push: read the nodes with one WatchList stream (sendInitialEvents, Kubernetes 1.34+) instead of a list and a watch. auto: where the server serves it, else list; true: only WatchList (a server that refuses it is an error); false: always list.");

    public static readonly OptionDefinition<bool> IncludeAnnotationsOption = OptionDefinition.Bool("include_annotations", false,
        "Copy node annotations into the vertex (they can be large).");

    public static readonly OptionDefinition<bool> InstanceIdFromSystemUuidOption = OptionDefinition.Bool("instance_id_from_system_uuid", false,
        "For OpenStack nodes whose providerID has no instance id, use the lower-cased nodeInfo.systemUUID (equal to the Nova UUID on KVM).");

    public static readonly OptionDefinition<string> AlarmsFileOption = OptionDefinition.Path("alarms_file", string.Empty,
        "Which node conditions, taints and specs are alarms (a YAML file: see node_alarms.yaml in the plugin's folder, which is used when this is empty). Read at start, and again on SIGHUP when this names another file (an edit of the same file waits for a restart).");

    public static IReadOnlyList<OptionDefinition> Declared { get; } =
    [
        UpdateMethodOption,
        ChangesIntervalOption,
        ConfigFileOption,
        ContextOption,
        ContextsOption,
        ClusterNameOption,
        PageSizeOption,
        RequestTimeoutOption,
        SnapshotTimeoutOption,
        MaxPageBytesOption,
        UseWatchListOption,
        IncludeAnnotationsOption,
        InstanceIdFromSystemUuidOption,
        AlarmsFileOption,
    ];

    public required string ConfigFile { get; init; }

    public required string Context { get; init; }

    /// <summary><c>contexts</c>: empty for one datasource, else the names (or <c>*</c>) to run one driver each.</summary>
    public required IReadOnlyList<string> Contexts { get; init; }

    public required string ClusterName { get; init; }

    public required int PageSize { get; init; }

    public required TimeSpan RequestTimeout { get; init; }

    public required TimeSpan SnapshotTimeout { get; init; }

    public required int MaxPageBytes { get; init; }

    /// <summary><c>update_method = push</c>: watch the nodes between snapshots.</summary>
    public required bool Push { get; init; }

    /// <summary><c>use_watch_list</c>: auto, true or false.</summary>
    public required string UseWatchList { get; init; }

    public static KubernetesOptions From(DatasourceSettings settings) => new()
    {
        ConfigFile = settings.Get(ConfigFileOption),
        Context = settings.Get(ContextOption),
        Contexts = settings.Get(ContextsOption),
        ClusterName = settings.Get(ClusterNameOption),
        PageSize = settings.Get(PageSizeOption),
        RequestTimeout = settings.Get(RequestTimeoutOption),
        SnapshotTimeout = settings.Get(SnapshotTimeoutOption),
        MaxPageBytes = settings.Get(MaxPageBytesOption),
        Push = settings.Get(UpdateMethodOption) == "push",
        UseWatchList = settings.Get(UseWatchListOption),
    };
}
