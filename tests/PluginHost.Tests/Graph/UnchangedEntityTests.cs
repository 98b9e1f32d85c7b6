using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Tests.Graph;

/// <summary>
/// An entity the graph already holds at the event's version is refreshed without a transform, and
/// an event made from raw bytes (<see cref="DatasourceEvent.FromUtf8"/>) is then never parsed: that
/// is what makes a steady snapshot cheap. The events here carry bytes that are not JSON, so any
/// read of their properties fails the transform and the complete snapshot deletes the entity.
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

    public static TheoryData<string, string, bool, string?> SecondSnapshots => new()
    {
        // name, the second snapshot's version of "a", whether the vertex is still there, its state
        { "same version: refreshed, never parsed", "1", true, "up" },
        { "new version: parsed, fails, deleted by the complete snapshot", "2", false, null },
    };

    [Theory]
    [MemberData(nameof(SecondSnapshots))]
    public async Task RunAsync_SecondSnapshotOfBytesThatAreNotJson_ParsedOnlyWhenTheVersionChanged(string name, string version, bool kept, string? state)
    {
        _ = name;
        var cancellation = TestContext.Current.CancellationToken;
        var (queue, processor, running, stop) = ThingPipeline.Start(publishWindow: null);

        await SnapshotAsync(queue, First, Thing("""{"id":"a","state":"up"}""", First, "1"), cancellation);
        await SnapshotAsync(queue, Second, Thing("not JSON at all", Second, version), cancellation);
        await queue.DrainAsync(cancellation);

        var vertex = processor.Publisher.Current.LiveVertices.SingleOrDefault(v => v.Id == "a");
        (vertex is not null).ShouldBe(kept);
        vertex?.State.ShouldBe(state);
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
