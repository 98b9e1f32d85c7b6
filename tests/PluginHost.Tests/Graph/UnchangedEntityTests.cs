using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Graph;

/// <summary>
/// An entity the graph already holds at the event's version is refreshed without a transform, and
/// an event made from raw bytes (<see cref="DatasourceEvent.FromUtf8"/>) is then never parsed: that
/// is what makes a steady snapshot cheap. The events here carry bytes that are not JSON, so any
/// read of their properties fails the transform, which the processor logs.
/// </summary>
public sealed class UnchangedEntityTests
{
    private static readonly DateTimeOffset First = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Second = First.AddMinutes(10);

    private static DatasourceEvent Thing(string utf8, DateTimeOffset at, string version) =>
        DatasourceEvent.FromUtf8("thing", DatasourceAction.Snapshot, at, "ds", System.Text.Encoding.UTF8.GetBytes(utf8)) with
        {
            EntityId = "a",
            EntityVersion = version,
        };

    public static TheoryData<string, string, bool> SecondSnapshots => new()
    {
        // name, the second snapshot's version of "a", whether it was parsed (and its transform failed)
        { "same version: refreshed, never parsed", "1", false },
        // A failed reading of an entity the graph holds never deletes it (GraphProcessorTests).
        { "new version: parsed, fails, the vertex kept as it was", "2", true },
    };

    [Theory]
    [MemberData(nameof(SecondSnapshots))]
    public async Task RunAsync_SecondSnapshotOfBytesThatAreNotJson_ParsedOnlyWhenTheVersionChanged(string name, string version, bool parsed)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var logger = new CapturingLogger();
        var (queue, processor, running, stop) = ThingPipeline.Start(logger, publishWindow: null);

        await SnapshotAsync(queue, First, Thing("""{"id":"a","state":"up"}""", First, "1"), cancellation);
        await SnapshotAsync(queue, Second, Thing("not JSON at all", Second, version), cancellation);
        await queue.DrainAsync(cancellation);

        processor.Publisher.Current.LiveVertices.Single(v => v.Id == "a").State.ShouldBe("up", name);
        logger.Errors.Any(e => e.StartsWith("Transformer for thing failed", StringComparison.Ordinal)).ShouldBe(parsed, name);
        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => running);
    }

    private static async Task SnapshotAsync(GraphQueue queue, DateTimeOffset at, DatasourceEvent thing, CancellationToken cancellation)
    {
        await queue.EnqueueAsync(new SnapshotStartedQueueItem("ds", at), cancellation);
        await queue.EnqueueAsync(new EventBatchQueueItem([thing]), cancellation);
        await queue.EnqueueAsync(new SnapshotEndedQueueItem("ds", at, Complete: true), cancellation);
    }
}
