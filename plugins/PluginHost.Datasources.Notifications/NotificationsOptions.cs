using PluginHost.Contracts;

namespace PluginHost.Datasources.Notifications;

/// <summary>The <c>[notifications]</c> options: where the edge hosts publish.</summary>
internal static class NotificationsOptions
{
    public static readonly OptionDefinition<string> TransportUrl = OptionDefinition.String("transport_url", string.Empty,
        "RabbitMQ the edge hosts publish to: rabbit://user:password@host:5672/vhost, or several brokers tried in order (rabbit://u:p@h1:5672,u:p@h2:5672/vhost). Empty: the datasource stays idle.", secret: true);

    public static readonly OptionDefinition<string> Exchange = OptionDefinition.String("exchange", "openstack", "The edge hosts' [DEFAULT] control_exchange.");

    public static readonly OptionDefinition<IReadOnlyList<string>> Topics = OptionDefinition.List("topics", "notifications",
        "The edge hosts' [oslo_messaging_notifications] topics; queue <topic>.info is consumed.");

    public static readonly OptionDefinition<string> Pool = OptionDefinition.String("pool", string.Empty,
        "Consume from this queue name instead of <topic>.info (an oslo listener pool), so several consumers each get every notification.");

    public static readonly OptionDefinition<bool> DurableQueues = OptionDefinition.Bool("amqp_durable_queues", false,
        "Must match the edge hosts' [oslo_messaging_rabbit] amqp_durable_queues.");

    public static readonly OptionDefinition<bool> AutoDelete = OptionDefinition.Bool("amqp_auto_delete", false,
        "Must match the edge hosts' [oslo_messaging_rabbit] amqp_auto_delete.");

    // 300 edges running three datasources each fit; each name holds state and metric series here.
    public static readonly OptionDefinition<int> MaxDatasources = OptionDefinition.Int("max_datasources", 1000,
        "Most relayed datasources (<publisher_id>/<datasource> names) taken since the host started (a reload that creates the driver again keeps those taken); notifications of a further name are dropped, with one warning per name, so that an edge that makes up names cannot add state and metric series here without end.",
        min: 1, max: 100_000);

    public static IReadOnlyList<OptionDefinition> Declared { get; } =
    [
        OptionDefinition.Enum("update_method", "push", ["push"], "Notifications are consumed as they arrive."),

        // Redeclared only for its help: the host's speaks of pull, which this datasource does not have.
        OptionDefinition.Int("changes_interval", 30, "Not used by this datasource: it has no pull mode, and notifications are consumed as they arrive.", min: 10),
        TransportUrl, Exchange, Topics, Pool, DurableQueues, AutoDelete, MaxDatasources,
    ];
}
