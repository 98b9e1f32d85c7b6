using System.Globalization;

namespace PluginHost.Outputs.Notifications;

/// <summary>One broker of a transport URL.</summary>
internal sealed record TransportHost(string Host, int Port, string UserName, string Password);

/// <summary>
/// An oslo.messaging transport URL: <c>rabbit://user:pass@host1:5672,user:pass@host2:5672/vhost?query</c>.
/// <see cref="ToString"/> never shows a password.
/// </summary>
internal sealed record TransportUrl(IReadOnlyList<TransportHost> Hosts, string VirtualHost, IReadOnlyDictionary<string, string> Query)
{
    public const int DefaultPort = 5672;

    private const string EncodingHint =
        "expected rabbit://user:password@host:port/vhost, where / ? # , @ and : in a user or password are percent-encoded (%2F %3F %23 %2C %40 %3A)";

    public static TransportUrl Parse(string url)
    {
        // oslo.messaging parses with Python's urlsplit, which drops tabs and line breaks: a URL of
        // several brokers wrapped over indented lines of vitrage.conf (one value to oslo.config) works.
        url = string.Concat(url.Split(['\t', '\r', '\n']));
        const string scheme = "rabbit://";
        if (!url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException("expected rabbit://user:password@host:port/vhost");
        }

        var rest = url[scheme.Length..];
        var query = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        if (queryStart >= 0)
        {
            foreach (var pair in rest[(queryStart + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                query[Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals])] = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            }

            rest = rest[..queryStart];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var hostsPart = slash < 0 ? rest : rest[..slash];
        var virtualHost = slash < 0 || slash == rest.Length - 1 ? "/" : Uri.UnescapeDataString(rest[(slash + 1)..]);
        var hosts = hostsPart.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ParseHost).ToList();
        return hosts.Count == 0 ? throw new FormatException("no host in the transport URL") : new TransportUrl(hosts, virtualHost, query);
    }

    private static TransportHost ParseHost(string part)
    {
        var at = part.LastIndexOf('@');
        var (user, password) = ("guest", "guest");
        if (at >= 0)
        {
            var credentials = part[..at];
            var colon = credentials.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? credentials : credentials[..colon]);
            password = colon < 0 ? string.Empty : Uri.UnescapeDataString(credentials[(colon + 1)..]);
            part = part[(at + 1)..];
        }

        var (hostName, portText) = SplitHostAndPort(part);
        var port = DefaultPort;
        if (portText is not null)
        {
            // The text is never quoted back: with an unescaped / ? # or , a password spills into this part.
            port = int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536
                ? p
                : throw new FormatException($"a host's port is not a number from 1 to 65535; {EncodingHint}");
        }

        return hostName.Length == 0 ? throw new FormatException($"a host of the transport URL is empty; {EncodingHint}") : new TransportHost(hostName, port, user, password);
    }

    // host, host:port, [IPv6] or [IPv6]:port (RFC 3986's authority). An IPv6 address without
    // brackets cannot carry a port; a bracket left open used to lose its '[' and be a host name.
    private static (string Host, string? Port) SplitHostAndPort(string part)
    {
        if (part.StartsWith('['))
        {
            var close = part.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !System.Net.IPAddress.TryParse(part[1..close], out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                throw new FormatException($"a host in [brackets] must be an IPv6 address, as in rabbit://user:password@[::1]:5672/; {EncodingHint}");
            }

            var after = part[(close + 1)..];
            return after.Length == 0 ? (part[1..close], null)
                : after.StartsWith(':') ? (part[1..close], after[1..])
                : throw new FormatException($"after an [IPv6] address only :port may follow; {EncodingHint}");
        }

        if (part.Contains('[', StringComparison.Ordinal) || part.Contains(']', StringComparison.Ordinal))
        {
            throw new FormatException($"a host name holds a bracket (an IPv6 address is written [::1]); {EncodingHint}");
        }

        var colon = part.LastIndexOf(':');
        if (colon != part.IndexOf(':', StringComparison.Ordinal))
        {
            throw new FormatException($"a host holds more than one ':' (an IPv6 address is written [::1]); {EncodingHint}");
        }

        return colon < 0 ? (part, null) : (part[..colon], part[(colon + 1)..]);
    }

    /// <summary>A host as a URL writes it: an IPv6 address in brackets.</summary>
    public static string UrlHost(string host) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;

    /// <summary>The URL with every password replaced by <c>***</c>: safe for logs and errors.</summary>
    public override string ToString() =>
        "rabbit://" + string.Join(",", Hosts.Select(h => string.Create(CultureInfo.InvariantCulture, $"{Uri.EscapeDataString(h.UserName)}:***@{UrlHost(h.Host)}:{h.Port}")))
        + "/" + (VirtualHost == "/" ? string.Empty : Uri.EscapeDataString(VirtualHost));
}
