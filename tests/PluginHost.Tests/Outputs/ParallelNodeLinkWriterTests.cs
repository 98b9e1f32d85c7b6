using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.Outputs;
using PluginHost.States;

namespace PluginHost.Tests.Outputs;

public sealed class ParallelNodeLinkWriterTests
{
    /// <summary>
    /// A cluster comprising <paramref name="nodes"/> nodes, each contained by a VM placeholder and
    /// linked to the next node twice (<c>connect</c> and <c>attached</c>: two labels to one target, ordered by label).
    /// </summary>
    internal static GraphVersion Cluster(int nodes)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var graph = new EntityGraph(time, new DatasourceValues(new Dictionary<string, ValuesFile>(), new HashSet<string>()));
        graph.Apply(new EntityUpdate(new EntityVertex("kubernetes", "prod") { Name = "prod" }, [], GraphAction.Create), "kubernetes", time.GetUtcNow());
        for (var i = 0; i < nodes; i++)
        {
            time.Advance(TimeSpan.FromTicks(17)); // microseconds that differ from vertex to vertex
            var node = new EntityVertex("kubernetes.node", $"n{i}")
            {
                Name = $"node-{i}",
                State = "Ready",
                Properties = new Dictionary<string, object?>
                {
                    ["zone"] = "z\u00e9 <1>",
                    ["labels"] = Utf8JsonValue.Parse(Encoding.UTF8.GetBytes($$"""{"n":"{{i}}"}""")),
                },
            };
            var next = new EntityVertex("kubernetes.node", $"n{(i + 1) % nodes}");
            graph.Apply(new EntityUpdate(node,
            [
                new EntityNeighbor(new EntityVertex("kubernetes", "prod"), EdgeLabels.Comprised, EdgeDirection.ToVertex),
                new EntityNeighbor(new EntityVertex(KnownEntityTypes.NovaInstance, $"vm-{i}"), EdgeLabels.Contains, EdgeDirection.ToVertex),
                new EntityNeighbor(next, EdgeLabels.Connect, EdgeDirection.FromVertex),
                new EntityNeighbor(next, EdgeLabels.Attached, EdgeDirection.FromVertex),
            ], GraphAction.Create), "kubernetes", time.GetUtcNow());
        }

        return graph.Publish();
    }

    private static byte[] Sequential(Subgraph graph)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            NodeLinkGraphWriter.WriteAsync(writer, graph, CancellationToken.None).GetAwaiter().GetResult();
        }

        return stream.ToArray();
    }

    public static TheoryData<string, int> Sizes => new()
    {
        { "an empty graph", 0 },
        { "one node", 1 },
        { "one vertex past a full piece (64 nodes, their 64 VMs and the cluster)", 64 },
        { "several pieces of nodes, two of links", 700 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task WriteAsync_Graph_WritesTheSequentialWritersBytes(string name, int nodes)
    {
        var graph = nodes == 0 ? Subgraph.Empty : Subgraph.AllLive(Cluster(nodes));
        using var stream = new MemoryStream();

        await ParallelNodeLinkWriter.WriteAsync(stream, graph, new JsonWriterOptions(), TestContext.Current.CancellationToken);

        Encoding.UTF8.GetString(stream.ToArray()).ShouldBe(Encoding.UTF8.GetString(Sequential(graph)), name);
        using var parsed = JsonDocument.Parse(stream.ToArray());
        parsed.RootElement.GetProperty("nodes").GetArrayLength().ShouldBe(graph.Nodes.Count, name);
        parsed.RootElement.GetProperty("links").GetArrayLength().ShouldBe(graph.Links.Count, name);
    }

    [Fact]
    public async Task WriteAsync_StreamFailsMidway_ThrowsItsErrorWithoutWaitingForTheRest()
    {
        var graph = Subgraph.AllLive(Cluster(2000));
        using var stream = new FailingStream(failAfterBytes: 100_000);

        var failure = await Should.ThrowAsync<IOException>(
            () => ParallelNodeLinkWriter.WriteAsync(stream, graph, new JsonWriterOptions(), TestContext.Current.CancellationToken));

        failure.Message.ShouldBe("broken pipe");
        stream.Writes.ShouldBeLessThan(10); // no write after the failed one
    }

    [Fact]
    public async Task WriteAsync_IndentedOptions_Refuses()
    {
        using var stream = new MemoryStream();

        await Should.ThrowAsync<ArgumentException>(
            () => ParallelNodeLinkWriter.WriteAsync(stream, Subgraph.Empty, new JsonWriterOptions { Indented = true }, TestContext.Current.CancellationToken));
        stream.Length.ShouldBe(0);
    }

    /// <summary>A pipe whose reader went away after some bytes.</summary>
    private sealed class FailingStream(int failAfterBytes) : MemoryStream
    {
        public int Writes { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            if (Length + buffer.Length > failAfterBytes)
            {
                throw new IOException("broken pipe");
            }

            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
