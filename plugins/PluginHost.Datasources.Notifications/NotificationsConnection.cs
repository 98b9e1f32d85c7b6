using PluginHost.Contracts;
using RabbitMQ.Client;

namespace PluginHost.Datasources.Notifications;

/// <summary>Where and how to consume; <see cref="SafeUrl"/> never shows the password.</summary>
internal sealed record NotificationsConnection(
    ConnectionFactory Factory, string SafeUrl, string Exchange, IReadOnlyList<(string Queue, string RoutingKey)> Bindings, bool Durable, bool AutoDelete)
{
    /// <summary>Every broker of the URL, tried in order (oslo's <c>rabbit://u:p@h1:5672,u:p@h2:5672/vhost</c>).</summary>
    public IReadOnlyList<AmqpTcpEndpoint> Endpoints { get; init; } = [];

    /// <summary>The connection, or <c>null</c> when no transport_url is set (the datasource stays idle).</summary>
    public static NotificationsConnection? From(DatasourceSettings settings)
    {
        // Python's urlsplit (oslo.messaging's parser) drops tabs and line breaks: a URL of several
        // brokers wrapped over indented lines of vitrage.conf (one value to oslo.config) works.
        var text = string.Concat(settings.Get(NotificationsOptions.TransportUrl).Split(['\t', '\r', '\n']));
        if (text.Length == 0)
        {
            return null;
        }

        // Several brokers, oslo's way: rabbit://u:p@h1:5672,u:p@h2:5672/vhost; the vhost after the
        // last one is every broker's (a password is URL-encoded, so it holds no ',' or '/').
        const string Scheme = "rabbit://";
        var rest = text.StartsWith(Scheme, StringComparison.Ordinal) ? text[Scheme.Length..] : string.Empty;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var tail = slash >= 0 ? rest[slash..] : "/";
        var brokers = (slash >= 0 ? rest[..slash] : rest).Split(',').Select(authority => Scheme + authority + tail);
        var urls = new List<Uri>();
        foreach (var broker in brokers)
        {
            if (!Uri.TryCreate(broker, UriKind.Absolute, out var one) || one.Scheme != "rabbit" || one.Host.Length == 0)
            {
                throw new DatasourceConfigurationException("[notifications] transport_url: expected rabbit://user:password@host:5672/vhost");
            }

            urls.Add(one);
        }

        var url = urls[0]; // its user and password for every broker, as the host's publisher does
        var credentials = url.UserInfo.Split(':', 2);
        var user = credentials[0].Length > 0 ? Uri.UnescapeDataString(credentials[0]) : "guest";
        var password = credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "guest";
        var vhost = url.AbsolutePath.Trim('/') is { Length: > 0 } path ? Uri.UnescapeDataString(path) : "/";
        var factory = new ConnectionFactory
        {
            HostName = url.Host,
            Port = url.IsDefaultPort || url.Port <= 0 ? 5672 : url.Port,
            UserName = user,
            Password = password,
            VirtualHost = vhost,
            AutomaticRecoveryEnabled = false,
            ClientProvidedName = "plugin_host.notifications",
        };
        var pool = settings.Get(NotificationsOptions.Pool);
        var bindings = settings.Get(NotificationsOptions.Topics).Select(t => (Queue: pool.Length > 0 ? pool : $"{t}.info", RoutingKey: $"{t}.info")).ToList();
        var endpoints = urls.Select(u => new AmqpTcpEndpoint(u.Host, u.IsDefaultPort || u.Port <= 0 ? 5672 : u.Port)).ToList();
        var hosts = string.Join(",", endpoints.Select(e => $"{user}:***@{e.HostName}:{e.Port}"));
        return new NotificationsConnection(factory, $"rabbit://{hosts}/{(vhost == "/" ? string.Empty : vhost)}",
            settings.Get(NotificationsOptions.Exchange), bindings, settings.Get(NotificationsOptions.DurableQueues), settings.Get(NotificationsOptions.AutoDelete))
        {
            Endpoints = endpoints,
        };
    }
}
