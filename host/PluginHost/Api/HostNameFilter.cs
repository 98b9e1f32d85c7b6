using System.Net;

namespace PluginHost.Api;

/// <summary>
/// Which names a request's <c>Host</c> header may carry. A web page can rebind its own name to
/// 127.0.0.1 (DNS rebinding) and then read a loopback API as its own origin, admin headers and
/// all, when nothing but the listener's address protects it (<c>auth_mode = noauth</c> on
/// loopback, the default). Such a request carries the page's name, so a restricted API serves only
/// <c>localhost</c>, IP addresses (no page can rebind a literal) and <c>[api] allowed_hosts</c>
/// (a proxy that forwards its own name). Unrestricted (any other listener without
/// <c>allowed_hosts</c>) every name passes, as before.
/// </summary>
internal sealed class HostNameFilter
{
    private readonly HashSet<string> _allowed;
    private readonly bool _restricted;

    public HostNameFilter(bool loopbackWithoutAuthentication, IReadOnlyList<string> allowedHosts)
    {
        _allowed = new HashSet<string>(allowedHosts.Select(Normalize), StringComparer.OrdinalIgnoreCase);
        _restricted = !_allowed.Contains("*") && (loopbackWithoutAuthentication || _allowed.Count > 0);
    }

    /// <summary>Whether a request whose <c>Host</c> header names <paramref name="host"/> (without its port) is served.</summary>
    public bool Allows(string host)
    {
        var name = Normalize(host);
        return !_restricted
            || name.Length == 0 // HTTP/1.0 without Host: no browser sends that
            || string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
            || IPAddress.TryParse(name, out _)
            || _allowed.Contains(name);
    }

    /// <summary>An entry of <c>allowed_hosts</c> is valid: a DNS name, an IP address or <c>*</c>.</summary>
    public static bool IsValidEntry(string entry) =>
        entry == "*" || Uri.CheckHostName(Normalize(entry)) is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6;

    // "[::1]" and "::1", "Name." and "name" are the same host.
    private static string Normalize(string host) => host.Trim().TrimStart('[').TrimEnd(']').TrimEnd('.');
}
