using PluginHost.Contracts;
using PluginHost.Plugins;

namespace PluginHost.Graph;

/// <summary>Entity type → transformer, over every loaded plugin.</summary>
internal sealed class TransformerRegistry
{
    private readonly Dictionary<string, IEntityTransformer> _transformers = new(StringComparer.Ordinal);

    public TransformerRegistry(IEnumerable<LoadedPlugin> plugins)
    {
        foreach (var plugin in plugins)
        {
            foreach (var (entityType, transformer) in plugin.Instance.Transformers)
            {
                _transformers.TryAdd(entityType, transformer);
            }
        }
    }

    public IReadOnlyCollection<string> EntityTypes => _transformers.Keys;

    public IEntityTransformer? Find(string entityType) => _transformers.GetValueOrDefault(entityType);
}
