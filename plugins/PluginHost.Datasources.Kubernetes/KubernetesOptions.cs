using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>The <c>[kubernetes]</c> options and their typed values.</summary>
internal sealed record KubernetesOptions
{
    private const int MaxPageBytesDefault = 64 << 20;

    public static IReadOnlyList<OptionDefinition> Declared { get; } =
    [
        OptionDefinition.Enum("update_method", "none", ["none"],
            "Only snapshots: every snapshots_interval the whole node list is read (a watch-based push mode is not implemented yet)."),
        OptionDefinition.Path("config_file", string.Empty,
            "Kubeconfig file, read with kubectl's rules. Empty: $KUBECONFIG (its files merged as kubectl merges them), then ~/.kube/config, then the pod's service account (in-cluster)."),
        OptionDefinition.String("context", string.Empty, "Kubeconfig context to use. Empty: the kubeconfig's current-context."),
        OptionDefinition.String("cluster_name", string.Empty,
            "Name of the cluster vertex (RESOURCE:kubernetes:<name>). Empty: the context's cluster name, as Vitrage does."),
        OptionDefinition.Int("page_size", 500,
            "Nodes per list request (limit/continue paging, like kubectl and client-go).", min: 1, max: 10000),
        OptionDefinition.Int("request_timeout", 60,
            "Seconds one API request (one page, headers and body) or one run of an exec credential plugin may take before the snapshot fails.", min: 1, max: 3600),
        OptionDefinition.Int("snapshot_timeout", 300,
            "Seconds a whole snapshot (every page, /version) may take before it fails; it also ends paging that never ends.", min: 1, max: 86400),
        OptionDefinition.Int("max_page_bytes", MaxPageBytesDefault,
            "Largest node list page read, in bytes (a 500-node page of real nodes is about 2.5 MB); a larger page fails the snapshot instead of filling memory.",
            min: 1 << 16, max: 1 << 30),
        OptionDefinition.Bool("include_annotations", false,
            "Copy node annotations into the vertex (they can be large)."),
        OptionDefinition.Bool("instance_id_from_system_uuid", false,
            "For OpenStack nodes whose providerID has no instance id, use the lower-cased nodeInfo.systemUUID (equal to the Nova UUID on KVM)."),
    ];

    public required string ConfigFile { get; init; }

    public required string Context { get; init; }

    public required string ClusterName { get; init; }

    public required int PageSize { get; init; }

    public required TimeSpan RequestTimeout { get; init; }

    public required TimeSpan SnapshotTimeout { get; init; }

    public required int MaxPageBytes { get; init; }

    public required bool IncludeAnnotations { get; init; }

    public required bool InstanceIdFromSystemUuid { get; init; }

    public static KubernetesOptions From(DatasourceSettings settings) => new()
    {
        ConfigFile = settings.GetString("config_file"),
        Context = settings.GetString("context"),
        ClusterName = settings.GetString("cluster_name"),
        PageSize = (int)settings.GetInt("page_size"),
        RequestTimeout = settings.GetSeconds("request_timeout"),
        SnapshotTimeout = settings.GetSeconds("snapshot_timeout"),
        MaxPageBytes = (int)settings.GetInt("max_page_bytes"),
        IncludeAnnotations = settings.GetBool("include_annotations"),
        InstanceIdFromSystemUuid = settings.GetBool("instance_id_from_system_uuid"),
    };
}
