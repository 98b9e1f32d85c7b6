namespace PluginHost.Contracts;

/// <summary>
/// Entity types of OpenStack datasources that Vitrage knows. Plugins link to them (resource
/// equivalence) even when no plugin in this host reports them.
/// </summary>
public static class KnownEntityTypes
{
    /// <summary>A Nova VM (<c>nova.instance</c>).</summary>
    public const string NovaInstance = "nova.instance";
    /// <summary>A Nova compute host (<c>nova.host</c>).</summary>
    public const string NovaHost = "nova.host";
    /// <summary>A Nova availability zone (<c>nova.zone</c>).</summary>
    public const string NovaZone = "nova.zone";
    /// <summary>The OpenStack cluster (<c>openstack.cluster</c>).</summary>
    public const string OpenStackCluster = "openstack.cluster";

    /// <summary>Every OpenStack type Vitrage knows: a plugin here may only link to them.</summary>
    public static IReadOnlyList<string> OpenStack { get; } =
    [
        NovaInstance, NovaHost, NovaZone, OpenStackCluster,
        "cinder.volume", "neutron.network", "neutron.port", "heat.stack", "trove.instance",
        "trove.cluster", "octavia.loadbalancer",
    ];
}
