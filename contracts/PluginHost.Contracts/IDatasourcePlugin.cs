namespace PluginHost.Contracts;

/// <summary>
/// The entry point of a datasource plugin: the one public class with a parameterless constructor
/// in <c>plugins/&lt;Name&gt;/&lt;Name&gt;.dll</c>.
/// </summary>
public interface IDatasourcePlugin
{
    /// <summary>Datasource name and config section, e.g. <c>kubernetes</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The options of the plugin's section, each declared once and read back typed with
    /// <see cref="DatasourceSettings.Get{T}"/>. The host adds <c>snapshots_interval</c>,
    /// <c>update_method</c> and <c>changes_interval</c> unless the plugin declares them.
    /// </summary>
    IReadOnlyList<OptionDefinition> Options { get; }

    /// <summary>
    /// Entity type (<see cref="DatasourceEvent.EntityType"/>) → transformer, created once per host
    /// with the plugin's section. They transform this plugin's events and the same types relayed
    /// from other hosts, so everything they need that is not a setting must be in the event.
    /// </summary>
    IReadOnlyDictionary<string, IEntityTransformer> CreateTransformers(DatasourceSettings settings);

    /// <summary>
    /// The independent instances <paramref name="settings"/> ask for (e.g. one per Kubernetes
    /// context): each gets its own driver, schedule, backoff and deletion scope, under the name
    /// <c>section/instance</c>. Empty (the default): one driver under the section's name. May read
    /// local files; throw <see cref="DatasourceConfigurationException"/> when it cannot tell.
    /// </summary>
    IReadOnlyList<string> ListInstances(DatasourceSettings settings) => [];

    /// <summary>
    /// Creates a driver with validated settings. Throw <see cref="DatasourceConfigurationException"/>
    /// for configuration the plugin cannot use (the host exits with code 2).
    /// </summary>
    IDatasourceDriver CreateDriver(DatasourceContext context);
}
