namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// A node's <c>spec.providerID</c>, split into the cloud (the URI scheme) and the cloud's instance
/// id (the last path segment): <c>openstack:///&lt;uuid&gt;</c>, <c>openstack://&lt;region&gt;/&lt;uuid&gt;</c>,
/// <c>aws:///&lt;zone&gt;/i-…</c>, <c>gce://&lt;project&gt;/&lt;zone&gt;/&lt;name&gt;</c>,
/// <c>azure:///subscriptions/…/virtualMachines/&lt;name&gt;</c>, <c>kind://docker/&lt;cluster&gt;/&lt;node&gt;</c>.
/// </summary>
internal readonly record struct ProviderId(string? Provider, string? InstanceId)
{
    public const string OpenStack = "openstack";

    public static ProviderId Parse(string? providerId)
    {
        if (string.IsNullOrWhiteSpace(providerId))
        {
            return default;
        }

        var separator = providerId.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            return default; // not a URI: no cloud can be told from it
        }

        var provider = providerId[..separator].Trim().ToLowerInvariant();
        var path = providerId[(separator + 3)..];
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new ProviderId(provider, segments.Length == 0 ? null : segments[^1]);
    }
}
