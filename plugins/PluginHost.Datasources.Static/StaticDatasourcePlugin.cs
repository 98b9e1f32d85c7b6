using PluginHost.Contracts;

namespace PluginHost.Datasources.Static;

/// <summary>The <c>static</c> datasource: what no API reports, from YAML files.</summary>
public sealed class StaticDatasourcePlugin : IDatasourcePlugin
{
    /// <summary>The entity type of every static event; the vertex type comes from the file.</summary>
    public const string EntityType = "static";

    public string Name => "static";

    public IReadOnlyList<OptionDefinition> Options => StaticOptions.Declared;

    public IReadOnlyDictionary<string, IEntityTransformer> CreateTransformers(DatasourceSettings settings) =>
        new Dictionary<string, IEntityTransformer> { [EntityType] = new StaticEntityTransformer() };

    public IDatasourceDriver CreateDriver(DatasourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var directory = context.Settings.Get(StaticOptions.Directory);
        return Directory.Exists(directory)
            ? new StaticDriver(context, directory)
            : throw new DatasourceConfigurationException($"static folder {directory} ([static] directory) does not exist");
    }
}
