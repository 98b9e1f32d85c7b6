using Microsoft.Extensions.Time.Testing;
using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Tests.Graph;

/// <summary>A small language for graph rule tests: datasources report entities at sample times.</summary>
internal sealed class GraphScenario
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Start);

    public EntityGraph Graph { get; }

    public GraphScenario(bool lookupsWhenRead = false)
    {
        Graph = new EntityGraph(Time, lookupsWhenRead: lookupsWhenRead);
    }

    public static DateTimeOffset At(int seconds) => Start.AddSeconds(seconds);

    public static EntityNeighbor Instance(string id, string label = EdgeLabels.Contains, EdgeDirection direction = EdgeDirection.ToVertex, string? name = null) =>
        new(new EntityVertex(KnownEntityTypes.NovaInstance, id) { Name = name }, label, direction);

    /// <summary>Reports a vertex at <paramref name="seconds"/>; the host clock moves there too.</summary>
    public bool Report(string datasource, string type, string id, int seconds, string? state = null, string? name = null,
        GraphAction action = GraphAction.Create, EntityNeighbor[]? neighbors = null, string? version = null)
    {
        if (At(seconds) > Time.GetUtcNow())
        {
            Time.SetUtcNow(At(seconds));
        }

        var vertex = new EntityVertex(type, id) { Name = name ?? id, State = state };
        return Graph.Apply(new EntityUpdate(vertex, neighbors ?? [], action), datasource, At(seconds), version: version);
    }

    /// <summary>What the processor does for an event whose version the graph may already hold.</summary>
    public bool Refresh(string datasource, string type, string id, string version, int seconds)
    {
        if (At(seconds) > Time.GetUtcNow())
        {
            Time.SetUtcNow(At(seconds));
        }

        return Graph.TryRefresh(EntityVertex.BuildKey(EntityCategories.Resource, type, id), version, datasource, At(seconds));
    }

    /// <summary>Reports a vertex another datasource owns, only to link it.</summary>
    public void Reference(string datasource, string type, string id, int seconds, GraphAction action = GraphAction.Update, EntityNeighbor[]? neighbors = null)
    {
        if (At(seconds) > Time.GetUtcNow())
        {
            Time.SetUtcNow(At(seconds));
        }

        Graph.Apply(new EntityUpdate(new EntityVertex(type, id) { Name = "from-" + datasource }, neighbors ?? [], action), datasource, At(seconds), reference: true);
    }

    public int CompleteSnapshot(string datasource, int startedAtSeconds) => Graph.MarkOutdatedDeleted(datasource, At(startedAtSeconds));

    public GraphVertex Vertex(string type, string id) =>
        Graph.Find(EntityVertex.BuildKey(EntityCategories.Resource, type, id)) ?? throw new ShouldAssertException($"no vertex {type}:{id}");

    public GraphEdge? Edge(string sourceType, string sourceId, string targetType, string targetId, string label) =>
        Vertex(sourceType, sourceId).Edges.FirstOrDefault(e =>
            e.Source.Type == sourceType && e.Source.Id == sourceId && e.Target.Type == targetType && e.Target.Id == targetId && e.RelationshipType == label);
}
