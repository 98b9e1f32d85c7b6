using PluginHost.Contracts;
using RabbitMQ.Client;

namespace PluginHost.Datasources.Notifications;

/// <summary>Where and how to consume; <see cref="SafeUrl"/> never shows the password.</summary>
internal sealed record NotificationsConnection(
    ConnectionFactory Factory, string SafeUrl, string Exchange, IReadOnlyList<(string Queue, string RoutingKey)> Bindings, bool Durable, bool AutoDelete)
{
    /// <summary>The connection, or <c>null</c> when no transport_url is set (the datasource stays idle).</summary>
    public static NotificationsConnection? From(DatasourceSettings settings)
    {
        var text = settings.Get(NotificationsOptions.TransportUrl);
        if (text.Length == 0)
        {
            return null;
        }

        if (!Uri.TryCreate(text.Split(',')[0], UriKind.Absolute, out var url) || url.Scheme != "rabbit")
        {
            throw new DatasourceConfigurationException("[notifications] transport_url: expected rabbit://user:password@host:5672/vhost");
        }

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
        return new NotificationsConnection(factory, $"rabbit://{user}:***@{factory.HostName}:{factory.Port}/{(vhost == "/" ? string.Empty : vhost)}",
            settings.Get(NotificationsOptions.Exchange), bindings, settings.Get(NotificationsOptions.DurableQueues), settings.Get(NotificationsOptions.AutoDelete));
    }
}
