using System.Runtime.InteropServices;
using System.Text.Json;
using PluginHost.Contracts;
using PluginHost.Datasources.Kubernetes;
using PluginHost.KubeApiSimulator;

namespace PluginHost.Benchmarks.Micro;

/// <summary>Realistic input shared by the micro-benchmarks: simulator nodes as the API sends them.</summary>
internal static class BenchmarkData
{
    public static byte[] NodeListPage(int nodes) => NodeListPages(nodes, nodes).Single();

    /// <summary>The nodes of one cluster as pages of at most <paramref name="pageSize"/> (a page of 65,000 would exceed the plugin's page limit).</summary>
    public static IEnumerable<byte[]> NodeListPages(int nodes, int pageSize)
    {
        using var page = new MemoryStream();
        var inPage = 0;
        foreach (var node in NodeGenerator.Generate(new SimulatorOptions { NodeCount = nodes, Provider = ProviderMode.OpenStack }))
        {
            if (inPage == 0)
            {
                page.Write("{\"kind\":\"NodeList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"1\",\"continue\":\"x\"},\"items\":["u8);
            }
            else
            {
                page.WriteByte((byte)',');
            }

            page.Write(JsonSerializer.SerializeToUtf8Bytes(node));
            if (++inPage == pageSize)
            {
                page.Write("]}"u8);
                yield return page.ToArray();
                page.SetLength(0);
                inPage = 0;
            }
        }

        if (inPage > 0)
        {
            page.Write("]}"u8);
            yield return page.ToArray();
        }
    }

    public static KubernetesOptions Options { get; } = new()
    {
        ConfigFile = string.Empty,
        Context = string.Empty,
        Contexts = [],
        ClusterName = string.Empty,
        PageSize = 500,
        RequestTimeout = TimeSpan.FromSeconds(60),
        SnapshotTimeout = TimeSpan.FromSeconds(300),
        MaxPageBytes = 64 << 20,
        Push = false,
        UseWatchList = "auto",
    };

    /// <summary>The transformers as the plugin creates them with default settings.</summary>
    public static IReadOnlyDictionary<string, IEntityTransformer> Transformers { get; } = new KubernetesDatasourcePlugin().CreateTransformers(
        new DatasourceSettings(new Dictionary<string, object?> { ["include_annotations"] = false, ["instance_id_from_system_uuid"] = false, ["alarms_file"] = "" }));

    /// <summary>Node events exactly as the driver makes them, then the cluster event.</summary>
    public static List<DatasourceEvent> SnapshotEvents(int nodes)
    {
        var factory = new NodeEventFactory("kubernetes", "bench");
        var events = new List<DatasourceEvent>(nodes + 1);
        foreach (var bytes in NodeListPages(nodes, 5000))
        {
            var page = PluginHost.Datasources.Kubernetes.NodeListPage.ReadAsync(new MemoryStream(bytes), new PageBuffer(Options.MaxPageBytes), CancellationToken.None).GetAwaiter().GetResult();
            events.AddRange(Enumerable.Range(0, page.Count).Select(i => factory.Create(page.Item(i), page.Header(i), DatasourceAction.Snapshot, DateTimeOffset.UtcNow)));
        }

        var identities = events.Select(e => NodeHeader.Read(JsonMarshal.GetRawUtf8Value(e.Properties.GetProperty("node"))))
            .Select(i => new { provider_id = i.ProviderId, external_id = i.ExternalId, system_uuid = i.SystemUuid }).ToList();
        events.Add(new DatasourceEvent(KubernetesEntityTypes.Cluster, DatasourceAction.Snapshot, DateTimeOffset.UtcNow, "kubernetes",
            JsonSerializer.SerializeToElement(new { name = "bench", server = "https://127.0.0.1", context = "bench", node_count = nodes, node_identities = identities })));
        return events;
    }
}
