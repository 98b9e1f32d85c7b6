namespace PluginHost.Datasources.Kubernetes;

/// <summary>The entity types this datasource reports.</summary>
public static class KubernetesEntityTypes
{
    /// <summary>The cluster, as Vitrage's own Kubernetes datasource names it.</summary>
    public const string Cluster = "kubernetes";

    public const string Node = "kubernetes.node";
}
