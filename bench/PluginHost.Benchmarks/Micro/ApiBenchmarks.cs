using System.Text.Json;
using BenchmarkDotNet.Attributes;
using PluginHost.Api.Query;
using PluginHost.Api.Views;
using PluginHost.Graph;
using PluginHost.Outputs;

namespace PluginHost.Benchmarks.Micro;

/// <summary>The API's reads of a 5,000-node graph version, without HTTP: what each request costs the host.</summary>
[MemoryDiagnoser]
public class ApiBenchmarks
{
    private static readonly VertexPredicate NotReady = QueryParser.Parse("""{"==": {"state": "NotReady"}}""");
    private GraphVersion _graph = null!;
    private string _nodeId = null!;

    [GlobalSetup]
    public void Setup()
    {
        var graph = new EntityGraph(TimeProvider.System);
        foreach (var e in BenchmarkData.SnapshotEvents(5000))
        {
            graph.Apply(BenchmarkData.Transformers[e.EntityType].Transform(e), "kubernetes", e.SampleTime);
        }

        _graph = graph.Publish();
        _nodeId = _graph.LiveVertices.First(v => v.Type == "kubernetes.node").VitrageId;
    }

    /// <summary><c>topology show --all-tenants</c>: select, order, index, write.</summary>
    [Benchmark]
    public long TopologyAllTenants5000()
    {
        var subgraph = TopologyReader.ReadGraph(_graph, new TopologyRequest(false, null, null, null), TenantScope.Everything);
        using var stream = new CountingStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            NodeLinkGraphWriter.WriteAsync(writer, subgraph, CancellationToken.None).GetAwaiter().GetResult();
        }

        return stream.Length;
    }

    /// <summary>The selection alone, without writing.</summary>
    [Benchmark]
    public int TopologySelect5000() => TopologyReader.ReadGraph(_graph, new TopologyRequest(false, null, null, null), TenantScope.Everything).Links.Count;

    /// <summary><c>resource list --type kubernetes.node --filter '{"==": {"state": "NotReady"}}'</c>, selection only.</summary>
    [Benchmark]
    public int ResourceListNotReady5000() => ResourceReader.List(_graph, TenantScope.Everything, "kubernetes.node", NotReady).Count;

    /// <summary><c>resource show</c>, lookup only.</summary>
    [Benchmark]
    public bool ResourceShow() => ResourceReader.Show(_graph, _nodeId, TenantScope.Everything) is not null;
}
