namespace PluginHost.Contracts;

/// <summary>
/// The entry point of a datasource plugin: a public class with a parameterless constructor in
/// <c>plugins/&lt;Name&gt;/&lt;Name&gt;.dll</c>.
/// </summary>
public interface IDatasourcePlugin
{
    /// <summary>Datasource name and config section, e.g. <c>kubernetes</c>.</summary>
    string Name { get; }

    /// <summary>The options of the plugin's section. The host adds <c>snapshots_interval</c>,
    /// <c>update_method</c> and <c>changes_interval</c> unless the plugin declares them.</summary>
    IReadOnlyList<OptionDefinition> Options { get; }

    /// <summary>Entity type (<c>vitrage_entity_type</c>) → transformer for events of that type.</summary>
    IReadOnlyDictionary<string, IEntityTransformer> Transformers { get; }

    /// <summary>
    /// Creates the driver once, with validated settings. Throw
    /// <see cref="DatasourceConfigurationException"/> for configuration the plugin cannot use.
    /// </summary>
    IDatasourceDriver CreateDriver(DatasourceContext context);
}
