namespace PluginHost.Contracts;

/// <summary>Vitrage's edge labels (<c>relationship_type</c>).</summary>
public static class EdgeLabels
{
    /// <summary>An alarm <c>on</c> the resource it is raised for.</summary>
    public const string On = "on";
    /// <summary>A host <c>contains</c> an instance (a VM hosts a Kubernetes node).</summary>
    public const string Contains = "contains";
    /// <summary>An alarm <c>causes</c> another (root-cause analysis).</summary>
    public const string Causes = "causes";
    /// <summary>Equipment <c>attached</c> to another (a host to its switch).</summary>
    public const string Attached = "attached";
    /// <summary><c>attached_public</c>: attached through a public network.</summary>
    public const string AttachedPublic = "attached_public";
    /// <summary><c>attached_private</c>: attached through a private network.</summary>
    public const string AttachedPrivate = "attached_private";
    /// <summary><c>connect</c>: network connectivity between two resources.</summary>
    public const string Connect = "connect";
    /// <summary><c>managed_by</c>: a resource managed by another (a VM by Heat).</summary>
    public const string ManagedBy = "managed_by";
    /// <summary>A cluster <c>comprised</c> of its members (Kubernetes cluster → nodes and VMs).</summary>
    public const string Comprised = "comprised";

    /// <summary>Every label, in Vitrage's order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [On, Contains, Causes, Attached, AttachedPublic, AttachedPrivate, Connect, ManagedBy, Comprised];
}
