using BenchmarkDotNet.Attributes;
using PluginHost.Contracts;
using PluginHost.Datasources.Kubernetes;

namespace PluginHost.Benchmarks.Micro;

/// <summary>The Kubernetes plugin's per-page and per-node work, without the network.</summary>
[MemoryDiagnoser]
public class KubernetesBenchmarks
{
    private byte[] _page = [];
    private readonly PageBuffer _buffer = new(BenchmarkData.Options.MaxPageBytes);
    private NodeEventFactory _factory = null!;
    private DatasourceEvent _node = null!;
    private readonly IEntityTransformer _transformer = BenchmarkData.Transformers[KubernetesEntityTypes.Node];

    [GlobalSetup]
    public void Setup()
    {
        _page = BenchmarkData.NodeListPage(500);
        _factory = new NodeEventFactory("kubernetes", "bench");
        _node = BenchmarkData.SnapshotEvents(1)[0];
    }

    /// <summary>Read and scan one 500-node page and build its 500 events (the driver's work per page; the events are not parsed).</summary>
    [Benchmark]
    public async Task<int> ReadPage500()
    {
        var page = await NodeListPage.ReadAsync(new MemoryStream(_page, writable: false), _buffer, CancellationToken.None);
        var count = 0;
        for (var i = 0; i < page.Count; i++)
        {
            count += _factory.Create(page.Item(i), page.Header(i), DatasourceAction.Snapshot, default).EntityId is null ? 0 : 1;
        }

        return count;
    }

    /// <summary><see cref="ReadPage500"/>, then each event's properties read, as a transformer's first read does.</summary>
    [Benchmark]
    public async Task<int> ParsePage500()
    {
        var page = await NodeListPage.ReadAsync(new MemoryStream(_page, writable: false), _buffer, CancellationToken.None);
        var count = 0;
        for (var i = 0; i < page.Count; i++)
        {
            count += _factory.Create(page.Item(i), page.Header(i), DatasourceAction.Snapshot, default).Properties.ValueKind == System.Text.Json.JsonValueKind.Object ? 1 : 0;
        }

        return count;
    }

    /// <summary>Baseline for <see cref="ParsePage500"/>: one JsonDocument parse of the same page.</summary>
    [Benchmark(Baseline = true)]
    public int JsonDocumentPage500()
    {
        using var document = System.Text.Json.JsonDocument.Parse(_page);
        return document.RootElement.GetProperty("items").GetArrayLength();
    }

    [Benchmark]
    public object TransformNode() => _transformer.Transform(_node);
}
