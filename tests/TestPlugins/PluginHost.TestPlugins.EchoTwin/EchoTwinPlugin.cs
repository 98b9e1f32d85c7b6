using PluginHost.Contracts;

namespace PluginHost.TestPlugins.EchoTwin;

/// <summary>Has the same name as the Echo plugin, to test duplicate detection.</summary>
public sealed class EchoTwinPlugin : IDatasourcePlugin
{
    public string Name => "echo";

    public IReadOnlyList<OptionDefinition> Options => [];

    public IReadOnlyDictionary<string, IEntityTransformer> CreateTransformers(DatasourceSettings settings) => new Dictionary<string, IEntityTransformer>();

    public IDatasourceDriver CreateDriver(DatasourceContext context) => throw new NotSupportedException();
}
