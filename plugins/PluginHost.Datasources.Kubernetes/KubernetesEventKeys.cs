namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// The keys of this datasource's events. A node event carries the raw node under <c>node</c> and
/// the name of its cluster (read from the kubeconfig, so a host that relays the event has it too).
/// </summary>
internal static class KubernetesEventKeys
{
    public const string Node = "node";
    public const string ClusterName = "cluster_name";

    /// <summary>On a watched change: the watch event's type (<c>ADDED</c>, <c>MODIFIED</c>, <c>DELETED</c>).</summary>
    public const string WatchEventType = "watch_event_type";

    /// <summary>The watch event type that deletes the node.</summary>
    public const string Deleted = "DELETED";

    public const string Name = "name";
    public const string Server = "server";
    public const string Context = "context";
    public const string KubernetesVersion = "kubernetes_version";
    public const string NodeCount = "node_count";

    /// <summary>Per node, what its instance id comes from: providerID, externalID, systemUUID.</summary>
    public const string NodeIdentities = "node_identities";
    public const string ProviderId = "provider_id";
    public const string ExternalId = "external_id";
    public const string SystemUuid = "system_uuid";
}
