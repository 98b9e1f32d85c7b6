using System.Text.Json;
using BenchmarkDotNet.Attributes;
using PluginHost.Contracts;
using PluginHost.Datasources.Kubernetes;
using PluginHost.Graph;
using PluginHost.Outputs;

namespace PluginHost.Benchmarks.Micro;

/// <summary>The graph's side: applying a snapshot, the deletion pass, the JSON output.</summary>
[MemoryDiagnoser]
public class GraphBenchmarks
{
    private List<(EntityUpdate Update, DateTimeOffset Time)> _snapshot5000 = [];
    private EntityGraph _graph20000 = null!;
    private EntityGraph _graph5000 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _snapshot5000 = BenchmarkData.SnapshotEvents(5000).Select(e => (BenchmarkData.Transformers[e.EntityType].Transform(e), e.SampleTime)).ToList();
        _graph5000 = Apply(new EntityGraph(TimeProvider.System), _snapshot5000);
        _graph20000 = new EntityGraph(TimeProvider.System);
        var transformer = BenchmarkData.Transformers[KubernetesEntityTypes.Node];
        var template = BenchmarkData.SnapshotEvents(1)[0];
        for (var i = 0; i < 20_000; i++)
        {
            var update = transformer.Transform(template);
            var vertex = update.Vertex with { Id = $"node-{i}" };
            _graph20000.Apply(update with { Vertex = vertex }, "kubernetes", template.SampleTime);
        }
    }

    private static EntityGraph Apply(EntityGraph graph, List<(EntityUpdate Update, DateTimeOffset Time)> updates)
    {
        foreach (var (update, time) in updates)
        {
            graph.Apply(update, "kubernetes", time);
        }

        return graph;
    }

    /// <summary>A first snapshot of 5,000 nodes (plus the cluster) into an empty graph.</summary>
    [Benchmark]
    public int ApplySnapshot5000() => Apply(new EntityGraph(TimeProvider.System), _snapshot5000).Vertices.Count;

    /// <summary>The same snapshot again into the graph that already holds it (the steady state).</summary>
    [Benchmark]
    public int ReapplySnapshot5000() => Apply(_graph5000, _snapshot5000).Vertices.Count;

    /// <summary>The outdated-entity pass over 20,000 vertices after a complete snapshot (nothing to delete).</summary>
    [Benchmark]
    public int MarkOutdated20000() => _graph20000.MarkOutdatedDeleted("kubernetes", DateTimeOffset.MinValue);

    [Benchmark]
    public long RenderGraphJson5000()
    {
        using var stream = new CountingStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            NodeLinkGraphWriter.WriteAsync(writer, Subgraph.AllLive(_graph5000.Publish()), CancellationToken.None).GetAwaiter().GetResult();
        }

        return stream.Length;
    }
}
