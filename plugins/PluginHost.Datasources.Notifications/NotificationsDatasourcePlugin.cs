using System.Collections.Concurrent;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Notifications;

/// <summary>
/// The <c>notifications</c> datasource: rebuilds the graphs of other PluginHost instances (one per
/// cluster or region) from the oslo.messaging notifications they publish. Each relayed event keeps
/// its entity type, so the transformers of the plugins loaded here apply; its datasource becomes
/// <c>&lt;publisher_id&gt;/&lt;datasource&gt;</c>, so two edges both running <c>kubernetes</c> never
/// delete each other's entities.
/// </summary>
public sealed class NotificationsDatasourcePlugin : IDatasourcePlugin
{
    public string Name => "notifications";

    public IReadOnlyList<OptionDefinition> Options => NotificationsOptions.Declared;

    // Relayed events are transformed by the plugins that own their entity types.
    public IReadOnlyDictionary<string, IEntityTransformer> CreateTransformers(DatasourceSettings settings) =>
        new Dictionary<string, IEntityTransformer>();

    // By datasource name, for the host's life: the host keeps this plugin instance across reloads and
    // hands a recreated driver nothing but its settings, so what must outlive a driver lives here.
    private readonly ConcurrentDictionary<string, RelayedNames> _relayedNames = new(StringComparer.Ordinal);

    public IDatasourceDriver CreateDriver(DatasourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new NotificationsDriver(context, NotificationsConnection.From(context.Settings), _relayedNames.GetOrAdd(context.Name, _ => new RelayedNames()));
    }
}
