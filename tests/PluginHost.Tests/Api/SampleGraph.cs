using Microsoft.Extensions.Time.Testing;
using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.States;

namespace PluginHost.Tests.Api;

/// <summary>
/// A small graph built through the real <see cref="EntityGraph"/>: a Kubernetes cluster
/// <c>comprised</c> → three nodes (one NotReady), each under a Nova VM placeholder that
/// <c>contains</c> it; a real Nova VM of project p1 and one of p2; an alarm <c>on</c> the p1 VM;
/// and a node deleted by a later snapshot.
/// </summary>
internal static class SampleGraph
{
    public const string Cluster = "RESOURCE:kubernetes:prod";

    public static GraphVersion Build()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        // Prometheus' values, as Vitrage ships them in part: the graph computes the alarm's severity pair.
        var prometheus = new ValuesFile("prometheus", EntityCategories.Alarm, "(test)",
            new Dictionary<string, MappedValue> { ["CRITICAL"] = new("CRITICAL", 40) });
        var graph = new EntityGraph(time, new DatasourceValues(new Dictionary<string, ValuesFile> { ["prometheus"] = prometheus }, new HashSet<string>()));
        var t0 = time.GetUtcNow();
        graph.Apply(new EntityUpdate(new EntityVertex("kubernetes", "prod") { Name = "prod" }, [], GraphAction.Create), "kubernetes", t0);
        foreach (var (id, state, zone) in new[] { ("n1", "Ready", "az1"), ("n2", "NotReady", "az1"), ("n3", "Ready", "az2"), ("gone", "Ready", "az2") })
        {
            var node = new EntityVertex("kubernetes.node", id)
            {
                Name = $"node-{id}",
                State = state,
                Properties = new Dictionary<string, object?>
                {
                    ["zone"] = zone,
                    ["cpu"] = id == "n3" ? 16L : 8L,
                    ["roles"] = new List<string> { "worker" },
                    // Held as JSON text, as the Kubernetes plugin holds a node's labels and conditions.
                    ["labels"] = Utf8JsonValue.Parse(System.Text.Encoding.UTF8.GetBytes($$"""{"tier":"{{(id == "n3" ? "db" : "web")}}","zone":"{{zone}}"}""")),
                    ["pod_cidrs"] = Utf8JsonValue.Parse(System.Text.Encoding.UTF8.GetBytes($$"""["10.0.{{id.Length}}.0/24"]""")),
                },
            };
            graph.Apply(new EntityUpdate(node,
            [
                new EntityNeighbor(new EntityVertex("kubernetes", "prod"), EdgeLabels.Comprised, EdgeDirection.ToVertex),
                new EntityNeighbor(new EntityVertex(KnownEntityTypes.NovaInstance, $"vm-{id}"), EdgeLabels.Contains, EdgeDirection.ToVertex),
            ], GraphAction.Create), "kubernetes", t0);
        }

        foreach (var (id, project) in new[] { ("vm-p1", "p1"), ("vm-p2", "p2") })
        {
            var vm = new EntityVertex(KnownEntityTypes.NovaInstance, id)
            {
                Name = id,
                State = "ACTIVE",
                Properties = new Dictionary<string, object?> { ["project_id"] = project },
            };
            graph.Apply(new EntityUpdate(vm, [], GraphAction.Create), "nova", t0);
        }

        var alarm = new EntityVertex("prometheus", "high-cpu")
        {
            Category = EntityCategories.Alarm,
            Name = "HighCpu",
            Properties = new Dictionary<string, object?> { ["severity"] = "critical" },
        };
        graph.Apply(new EntityUpdate(alarm,
            [new EntityNeighbor(new EntityVertex(KnownEntityTypes.NovaInstance, "vm-p1"), EdgeLabels.On, EdgeDirection.FromVertex)],
            GraphAction.Create), "prometheus", t0);

        // A later snapshot of kubernetes without "gone": it stays, marked deleted.
        time.Advance(TimeSpan.FromMinutes(1));
        var t1 = time.GetUtcNow();
        graph.Apply(new EntityUpdate(new EntityVertex("kubernetes", "prod") { Name = "prod" }, [], GraphAction.Create), "kubernetes", t1);
        foreach (var id in new[] { "n1", "n2", "n3" })
        {
            var old = graph.Find($"RESOURCE:kubernetes.node:{id}")!;
            graph.Apply(new EntityUpdate(new EntityVertex("kubernetes.node", id) { Name = old.Name, State = old.State, Properties = old.Properties },
            [
                new EntityNeighbor(new EntityVertex("kubernetes", "prod"), EdgeLabels.Comprised, EdgeDirection.ToVertex),
                new EntityNeighbor(new EntityVertex(KnownEntityTypes.NovaInstance, $"vm-{id}"), EdgeLabels.Contains, EdgeDirection.ToVertex),
            ], GraphAction.Create), "kubernetes", t1);
        }

        graph.MarkOutdatedDeleted("kubernetes", t1);
        return graph.Publish();
    }

    public static VertexView Vertex(GraphVersion graph, string key) => graph.Find(key) ?? throw new ShouldAssertException($"no vertex {key}");
}
