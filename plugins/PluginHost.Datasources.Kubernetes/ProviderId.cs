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

        var scheme = providerId.AsSpan(0, separator).Trim();
        return new ProviderId(KnownProvider(scheme) ?? scheme.ToString().ToLowerInvariant(), LastSegment(providerId.AsSpan(separator + 3)));
    }

    // The clouds Kubernetes' own cloud providers name, as one string each: every node of a cluster
    // (and every watched change of one) shares it instead of holding its own copy.
    private static readonly string[] KnownProviders = [OpenStack, "aws", "gce", "azure", "kind", "vsphere", "ibm", "alicloud", "oci", "digitalocean", "hcloud", "linode"];

    private static string? KnownProvider(ReadOnlySpan<char> scheme)
    {
        foreach (var known in KnownProviders)
        {
            if (scheme.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return null;
    }

    // The last segment that is not blank, trimmed; only it becomes a string.
    private static string? LastSegment(ReadOnlySpan<char> path)
    {
        while (!path.IsEmpty)
        {
            var slash = path.LastIndexOf('/');
            var segment = path[(slash + 1)..].Trim();
            if (!segment.IsEmpty)
            {
                return segment.ToString();
            }

            if (slash < 0)
            {
                break;
            }

            path = path[..slash];
        }

        return null;
    }
}
