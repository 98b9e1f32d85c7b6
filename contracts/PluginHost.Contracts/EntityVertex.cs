namespace PluginHost.Contracts;

/// <summary>
/// A vertex as a transformer describes it. The host adds the <c>vitrage_*</c> bookkeeping
/// (<c>vitrage_id</c>, timestamps, deletion and placeholder flags).
/// </summary>
/// <param name="Type">The <c>vitrage_type</c>, e.g. <c>kubernetes.node</c>.</param>
/// <param name="Id">The entity id inside its type, e.g. a node's uid.</param>
public sealed record EntityVertex(string Type, string Id)
{
    /// <summary>The <c>vitrage_category</c>.</summary>
    public string Category { get; init; } = EntityCategories.Resource;

    public string? Name { get; init; }

    public string? State { get; init; }

    /// <summary>The datasource's own properties: strings, numbers, booleans, lists and maps of those.</summary>
    public IReadOnlyDictionary<string, object?> Properties { get; init; } = EmptyProperties;

    /// <summary>
    /// The datasource's own version of the entity (Kubernetes' <c>resourceVersion</c>), if it has one.
    /// When a later sample carries the version the graph already has, the graph keeps the
    /// properties it holds (they are the same) and only refreshes the sample time and edges.
    /// </summary>
    public string? Version { get; init; }

    /// <summary>Vitrage's <c>build_key</c>: <c>category:type:id</c>.</summary>
    public string Key => BuildKey(Category, Type, Id);

    public static string BuildKey(string category, string type, string id) => $"{category}:{type}:{id}";

    private static readonly IReadOnlyDictionary<string, object?> EmptyProperties = new Dictionary<string, object?>();
}
