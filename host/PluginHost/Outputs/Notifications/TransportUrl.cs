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

        var port = DefaultPort;
        var hostName = part;
        var portStart = part.LastIndexOf(':');
        if (portStart > 0 && !part.EndsWith(']'))
        {
            // The text is never quoted back: with an unescaped / ? # or , a password spills into this part.
            port = int.TryParse(part[(portStart + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536
                ? p
                : throw new FormatException($"a host's port is not a number from 1 to 65535; {EncodingHint}");
            hostName = part[..portStart];
        }

        return hostName.Length == 0 ? throw new FormatException($"a host of the transport URL is empty; {EncodingHint}") : new TransportHost(hostName.Trim('[', ']'), port, user, password);
    }

    /// <summary>The URL with every password replaced by <c>***</c>: safe for logs and errors.</summary>
    public override string ToString() =>
        "rabbit://" + string.Join(",", Hosts.Select(h => string.Create(CultureInfo.InvariantCulture, $"{Uri.EscapeDataString(h.UserName)}:***@{h.Host}:{h.Port}")))
        + "/" + (VirtualHost == "/" ? string.Empty : Uri.EscapeDataString(VirtualHost));
}
