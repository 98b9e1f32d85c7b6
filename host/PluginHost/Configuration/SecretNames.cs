namespace PluginHost.Configuration;

/// <summary>
/// Keys whose values are never printed, even when their option does not say so (oslo's own
/// sections: <c>[keystone_authtoken] password</c>, <c>[DEFAULT] transport_url</c>, tokens).
/// </summary>
internal static class SecretNames
{
    private static readonly string[] Markers = ["password", "passwd", "secret", "token", "transport_url", "connection", "private_key", "credential"];

    public static bool IsSecret(string key) => Markers.Any(m => key.Contains(m, StringComparison.OrdinalIgnoreCase));
}
