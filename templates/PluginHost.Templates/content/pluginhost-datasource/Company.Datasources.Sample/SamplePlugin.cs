using PluginHost.Contracts;

namespace Company.Datasources.Sample;

/// <summary>
/// The <c>mysource</c> datasource. The host finds this class in
/// <c>plugins/Company.Datasources.Sample/Company.Datasources.Sample.dll</c> and calls it; the name is
/// the config section (<c>[mysource]</c>) and the <c>vitrage_datasource_name</c> of its vertices.
/// </summary>
public sealed class SamplePlugin : IDatasourcePlugin
{
    /// <summary>The one entity type this datasource reports.</summary>
    public const string ThingType = "mysource.thing";

    /// <inheritdoc/>
    public string Name => "mysource";

    /// <inheritdoc/>
    public IReadOnlyList<OptionDefinition> Options => SampleOptions.Declared;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, IEntityTransformer> CreateTransformers(DatasourceSettings settings) =>
        new Dictionary<string, IEntityTransformer> { [ThingType] = new ThingTransformer() };

    /// <inheritdoc/>
    public IDatasourceDriver CreateDriver(DatasourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sourceFile = context.Settings.Get(SampleOptions.SourceFile);

        // Settings that can never work are a configuration error: the host exits with code 2.
        return sourceFile.Length > 0 && File.Exists(sourceFile)
            ? new SampleDriver(context, sourceFile)
            : throw new DatasourceConfigurationException($"[{context.Name}] source_file '{sourceFile}' does not exist");
    }
}
