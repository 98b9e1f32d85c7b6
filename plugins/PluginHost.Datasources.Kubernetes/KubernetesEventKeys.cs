namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// The keys of this datasource's events. A node event carries the raw node under <c>node</c> plus
/// what its transformer needs to stay a pure function of the event (cluster name, options).
/// </summary>
internal static class KubernetesEventKeys
{
    public const string Node = "node";
    public const string ClusterName = "cluster_name";
    public const string IncludeAnnotations = "include_annotations";
    public const string InstanceIdFromSystemUuid = "instance_id_from_system_uuid";

    public const string Name = "name";
    public const string Server = "server";
    public const string Context = "context";
    public const string KubernetesVersion = "kubernetes_version";
    public const string NodeCount = "node_count";
    public const string InstanceIds = "instance_ids";
}
