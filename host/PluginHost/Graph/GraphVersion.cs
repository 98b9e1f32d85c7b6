using System.Collections.Immutable;

namespace PluginHost.Graph;

/// <summary>
/// One immutable state of the entity graph, published by the <see cref="GraphProcessor"/> after it
/// applied a batch (never in the middle of a snapshot's deletions). Readers take the current
/// version and keep reading it however long they need; the processor goes on with the next one.
/// Consecutive versions share everything that did not change.
/// </summary>
internal sealed class GraphVersion
{
    // Lazy with its default mode: one thread makes the value, others wait for it, and the maker
    // (with the earlier version it captured) is let go once it has run.
    private readonly Lazy<ImmutableDictionary<string, string>> _keysByVitrageId;
    private readonly Lazy<ResourceIndex> _resources;

    public static GraphVersion Empty { get; } = new(0, DateTimeOffset.MinValue,
        ImmutableDictionary.Create<string, VertexView>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, string>(StringComparer.Ordinal), ResourceIndex.Empty);

    public GraphVersion(
        long number,
        DateTimeOffset publishedAt,
        ImmutableDictionary<string, VertexView> vertices,
        ImmutableDictionary<string, string> keysByVitrageId,
        ResourceIndex resources)
        : this(number, publishedAt, vertices, new Lazy<ImmutableDictionary<string, string>>(keysByVitrageId), new Lazy<ResourceIndex>(resources))
    {
    }

    /// <summary>
    /// A version whose lookups by <c>vitrage_id</c> and by resource value are made when first read
    /// (by a reader, or by the publication of the next version, whichever comes first).
    /// </summary>
    public GraphVersion(
        long number,
        DateTimeOffset publishedAt,
        ImmutableDictionary<string, VertexView> vertices,
        Func<ImmutableDictionary<string, string>> keysByVitrageId,
        Func<ResourceIndex> resources)
        : this(number, publishedAt, vertices, new Lazy<ImmutableDictionary<string, string>>(keysByVitrageId), new Lazy<ResourceIndex>(resources))
    {
    }

    private GraphVersion(
        long number,
        DateTimeOffset publishedAt,
        ImmutableDictionary<string, VertexView> vertices,
        Lazy<ImmutableDictionary<string, string>> keysByVitrageId,
        Lazy<ResourceIndex> resources)
    {
        Number = number;
        PublishedAt = publishedAt;
        Vertices = vertices;
        _keysByVitrageId = keysByVitrageId;
        _resources = resources;
    }

    /// <summary>Increases by one with every publication.</summary>
    public long Number { get; }

    public DateTimeOffset PublishedAt { get; }

    /// <summary>Every vertex by key, deleted ones included until they are purged.</summary>
    public ImmutableDictionary<string, VertexView> Vertices { get; }

    /// <summary><c>vitrage_id</c> → key.</summary>
    public ImmutableDictionary<string, string> KeysByVitrageId => _keysByVitrageId.Value;

    /// <summary>The live, real resources by type, state and name: what a filtered resource list reads.</summary>
    public ResourceIndex Resources => _resources.Value;

    /// <summary>Whether both lookups are made (for tests).</summary>
    internal bool LookupsMade => _keysByVitrageId.IsValueCreated && _resources.IsValueCreated;

    public VertexView? Find(string key) => Vertices.GetValueOrDefault(key);

    public VertexView? FindByVitrageId(string vitrageId) =>
        KeysByVitrageId.TryGetValue(vitrageId, out var key) ? Find(key) : null;

    public IEnumerable<VertexView> LiveVertices => Vertices.Values.Where(v => !v.IsDeleted);

    /// <summary>Live edges between live vertices, each once.</summary>
    public IEnumerable<EdgeView> LiveEdges =>
        Vertices.Values.Where(v => !v.IsDeleted).SelectMany(v => v.OutgoingLiveEdges)
            .Where(e => Find(e.TargetKey) is { IsDeleted: false });
}
