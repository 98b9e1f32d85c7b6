namespace PluginHost.Configuration;

/// <summary>
/// The datasources OpenStack Vitrage has (its <c>vitrage/datasources</c> packages) that PluginHost
/// ships no plugin for. An operator's <c>vitrage.conf</c> names some of them in <c>[datasources]
/// types</c> (Vitrage's default is the nova, cinder and neutron ones): with no plugin of that name
/// here they are left out with a warning, so the file loads; any other name without a plugin (a
/// typo, or a plugin PluginHost ships that is missing) stays an error.
/// </summary>
internal static class VitrageDatasourceNames
{
    private static readonly HashSet<string> WithoutPlugin = new(StringComparer.OrdinalIgnoreCase)
    {
        "aodh", "cetus.cluster", "cetus.pod", "cinder.volume", "collectd", "consistency", "doctor", "heat.stack",
        "kapacitor", "monasca", "nagios", "neutron.network", "neutron.port", "nova.host", "nova.instance",
        "nova.zone", "prometheus", "tmfapi639", "trove.cluster", "trove.instance", "zabbix",
    };

    /// <summary>Whether <paramref name="type"/> is one of Vitrage's datasources PluginHost has no plugin for.</summary>
    public static bool IsVitragesOnly(string type) => WithoutPlugin.Contains(type);
}
