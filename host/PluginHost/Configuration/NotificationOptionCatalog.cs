using PluginHost.Contracts;

namespace PluginHost.Configuration;

/// <summary>
/// The oslo.messaging options the notification output reads, under OpenStack's own section and
/// option names so one vitrage.conf serves both. These sections belong to oslo: keys PluginHost
/// does not use there are normal and only logged at debug.
/// </summary>
internal static class NotificationOptionCatalog
{
    public const string DefaultSection = "DEFAULT";
    public const string NotificationsSection = "oslo_messaging_notifications";
    public const string RabbitSection = "oslo_messaging_rabbit";

    public static IReadOnlyList<OptionDefinition> Default { get; } =
    [
        OptionDefinition.String("transport_url", string.Empty,
            "oslo.messaging transport URL: rabbit://user:password@host1:5672,user:password@host2:5672/vhost (several hosts for a cluster).",
            secret: true),
        OptionDefinition.String("control_exchange", "openstack", "Exchange notifications are published to (a topic exchange)."),
        OptionDefinition.String("host", string.Empty, "Name of this host in publisher_id (plugin_host.<host>). Empty: the machine name."),
    ];

    public static IReadOnlyList<OptionDefinition> Notifications { get; } =
    [
        OptionDefinition.Enum("driver", "noop", ["noop", "messagingv2"],
            "messagingv2 publishes every datasource event as an oslo.messaging notification on RabbitMQ; noop publishes nothing."),
        OptionDefinition.List("topics", "notifications",
            "Topics to publish to; each gets the routing key and queue <topic>.info (Vitrage listens on vitrage_notifications)."),
    ];

    public static IReadOnlyList<OptionDefinition> Rabbit { get; } =
    [
        OptionDefinition.Bool("amqp_durable_queues", false,
            "Declare the exchange and queues durable. Must match what the other oslo.messaging services declare (else 406 PRECONDITION_FAILED)."),
        OptionDefinition.Bool("amqp_auto_delete", false, "Declare the exchange and queues auto-delete; must match the other services."),
        OptionDefinition.Bool("ssl", false, "Connect to RabbitMQ over TLS."),
        OptionDefinition.Path("ssl_ca_file", string.Empty, "CA bundle that signed the broker's certificate (TLS)."),
        OptionDefinition.Path("ssl_cert_file", string.Empty, "Client certificate (PEM or PKCS#12) for TLS client authentication."),
        OptionDefinition.Path("ssl_key_file", string.Empty, "Private key of ssl_cert_file when it is PEM."),
    ];
}
