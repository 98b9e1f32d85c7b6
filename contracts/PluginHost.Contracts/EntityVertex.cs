namespace PluginHost.Contracts;

/// <summary>
/// A vertex as a transformer describes it. The host adds Vitrage's bookkeeping (<c>vitrage_id</c>,
/// timestamps, deletion and placeholder flags, states).
/// </summary>
/// <param name="Type">The <c>vitrage_type</c>, e.g. <c>kubernetes.node</c>.</param>
/// <param name="Id">The entity id inside its type, e.g. a node's uid.</param>
public sealed record EntityVertex(string Type, string Id)
{
    private static readonly IReadOnlyDictionary<string, object?> EmptyProperties = new Dictionary<string, object?>();

    /// <summary>The <c>vitrage_category</c>: <see cref="EntityCategories.Resource"/> unless set.</summary>
    public string Category { get; init; } = EntityCategories.Resource;

    /// <summary>The <c>name</c> property.</summary>
    public string? Name { get; init; }

    /// <summary>The <c>state</c> property, in the datasource's own words (e.g. <c>Ready</c>).</summary>
    public string? State { get; init; }

    /// <summary>
    /// The datasource's own properties: strings, numbers, booleans, lists and maps of those,
    /// <see cref="System.Text.Json.JsonElement"/>s, or (1.2) <see cref="Utf8JsonValue"/>s, which a
    /// vertex holds without a parsed document. The host never changes the dictionary.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Properties { get; init; } = EmptyProperties;

    /// <summary>Vitrage's <c>build_key</c>: <c>category:type:id</c>.</summary>
    public string Key => BuildKey(Category, Type, Id);

    /// <summary>Vitrage's <c>build_key</c> of a vertex: <c>category:type:id</c>.</summary>
    public static string BuildKey(string category, string type, string id) => $"{category}:{type}:{id}";
}
