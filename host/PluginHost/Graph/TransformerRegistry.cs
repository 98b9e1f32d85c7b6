using PluginHost.Contracts;

namespace PluginHost.Graph;

/// <summary>
/// Entity type → transformer over every loaded plugin, each created with its plugin's section,
/// and which vertex types each plugin may only refer to (the types other plugins own, and
/// OpenStack's well-known ones).
/// </summary>
internal sealed class TransformerRegistry
{
    private readonly Dictionary<string, Registration> _transformers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ownedTypes = new(KnownEntityTypes.OpenStack, StringComparer.Ordinal);

    /// <param name="plugins">Each plugin's name and the transformers it created.</param>
    public TransformerRegistry(IEnumerable<(string Plugin, IReadOnlyDictionary<string, IEntityTransformer> Transformers)> plugins)
    {
        foreach (var (plugin, transformers) in plugins)
        {
            var own = transformers.Keys.ToHashSet(StringComparer.Ordinal);
            foreach (var (entityType, transformer) in transformers)
            {
                _transformers.TryAdd(entityType, new Registration(transformer, plugin, own));
                _ownedTypes.Add(entityType);
            }
        }
    }

    public IReadOnlyCollection<string> EntityTypes => _transformers.Keys;

    public IEntityTransformer? Find(string entityType) => _transformers.GetValueOrDefault(entityType)?.Transformer;

    /// <summary>The transformers <paramref name="plugin"/> created, by entity type.</summary>
    public IReadOnlyDictionary<string, IEntityTransformer> TransformersOf(string plugin) =>
        _transformers.Where(t => t.Value.Plugin == plugin).ToDictionary(t => t.Key, t => t.Value.Transformer, StringComparer.Ordinal);

    /// <summary>
    /// Whether a vertex of <paramref name="vertexType"/> that the transformer of
    /// <paramref name="entityType"/> reports belongs to another plugin, so it may only be linked.
    /// </summary>
    public bool IsForeign(string entityType, string vertexType) =>
        _transformers.TryGetValue(entityType, out var registration)
        && _ownedTypes.Contains(vertexType) && !registration.OwnTypes.Contains(vertexType);

    private sealed record Registration(IEntityTransformer Transformer, string Plugin, HashSet<string> OwnTypes);
}
