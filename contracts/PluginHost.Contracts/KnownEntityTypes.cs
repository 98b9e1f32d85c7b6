namespace PluginHost.Contracts;

/// <summary>
/// Entity types of OpenStack datasources that Vitrage knows. Plugins link to them (resource
/// equivalence) even when no plugin in this host reports them.
/// </summary>
public static class KnownEntityTypes
{
    public const string NovaInstance = "nova.instance";
    public const string NovaHost = "nova.host";
    public const string NovaZone = "nova.zone";
    public const string OpenStackCluster = "openstack.cluster";

    public static IReadOnlyList<string> OpenStack { get; } =
    [
        NovaInstance, NovaHost, NovaZone, OpenStackCluster,
        "cinder.volume", "neutron.network", "neutron.port", "heat.stack", "trove.instance",
        "trove.cluster", "octavia.loadbalancer",
    ];
}
