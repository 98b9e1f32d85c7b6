using Microsoft.Extensions.Time.Testing;
using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Datasources.Static.Tests;

/// <summary>The static driver feeding an entity graph the way the host's processor does.</summary>
internal sealed class StaticGraph(StaticFolder folder)
{
    private readonly StaticEntityTransformer _transformer = new();

    // The registry of a host that also loads the Kubernetes plugin: its types, like OpenStack's, are references.
    private readonly TransformerRegistry _registry = new(
    [
        ("static", new Dictionary<string, IEntityTransformer> { [StaticDatasourcePlugin.EntityType] = new StaticEntityTransformer() }),
        ("kubernetes", new Dictionary<string, IEntityTransformer> { ["kubernetes"] = new StaticEntityTransformer(), ["kubernetes.node"] = new StaticEntityTransformer() }),
    ]);

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public EntityGraph Graph => _graph ??= new EntityGraph(Time);

    private EntityGraph? _graph;

    public async Task<List<DatasourceEvent>> SnapshotAsync()
    {
        Time.Advance(TimeSpan.FromSeconds(1));
        var started = Time.GetUtcNow();
        var events = await folder.GetAllAsync();
        Apply(events, started);
        Graph.MarkOutdatedDeleted("static", started);
        return events;
    }

    public async Task<List<DatasourceEvent>> ChangesAsync()
    {
        Time.Advance(TimeSpan.FromSeconds(1));
        var events = await folder.GetChangesAsync();
        Apply(events, Time.GetUtcNow());
        return events;
    }

    // The driver stamps events with the real clock; the graph runs on the fake one.
    private void Apply(IEnumerable<DatasourceEvent> events, DateTimeOffset sampleTime)
    {
        foreach (var e in events)
        {
            var update = _transformer.Transform(e);
            Graph.Apply(update, "static", sampleTime, reference: _registry.IsForeign(e.EntityType, update.Vertex.Type));
        }
    }

    public IEnumerable<string> LiveKeys => Graph.LiveVertices.Select(v => v.Key).Order(StringComparer.Ordinal);

    public IEnumerable<string> LiveEdges => Graph.LiveEdges
        .Select(e => $"{e.Source.Type}:{e.Source.Id} {e.RelationshipType} {e.Target.Type}:{e.Target.Id}").Order(StringComparer.Ordinal);

    public GraphVertex Vertex(string type, string id) => Graph.Find(EntityVertex.BuildKey(EntityCategories.Resource, type, id))!;
}
