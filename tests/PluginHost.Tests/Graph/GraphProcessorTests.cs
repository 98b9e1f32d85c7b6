using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.Outputs;

namespace PluginHost.Tests.Graph;

/// <summary>The processor task: what readers see while a snapshot applies, and what its outputs cannot do to it.</summary>
public sealed class GraphProcessorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed class ThingTransformer : IEntityTransformer
    {
        public EntityUpdate Transform(DatasourceEvent e) =>
            new(new EntityVertex("thing", e.Properties.GetProperty("id").GetString()!), [], GraphAction.Create);
    }

    private static DatasourceEvent Thing(string id, DatasourceAction action = DatasourceAction.Snapshot) =>
        new("thing", action, Start, "ds", JsonSerializer.SerializeToElement(new { id }));

    private static (GraphQueue Queue, GraphProcessor Processor, Task Running, CancellationTokenSource Stop) Start_(params IGraphOutput[] outputs)
    {
        var queue = new GraphQueue(256);
        var processor = new GraphProcessor(queue, new EntityGraph(TimeProvider.System),
            new TransformerRegistry([("things", new Dictionary<string, IEntityTransformer> { ["thing"] = new ThingTransformer() })]),
            outputs, new GraphVersionPublisher(), TimeSpan.FromMinutes(10), TimeProvider.System, NullLogger.Instance);
        var stop = new CancellationTokenSource();
        return (queue, processor, Task.Run(() => processor.RunAsync(stop.Token)), stop);
    }

    [Fact]
    public async Task RunAsync_SnapshotBeingApplied_IsNotPublishedBeforeItsEnd()
    {
        var (queue, processor, running, stop) = Start_();
        await queue.EnqueueAsync(new SnapshotStartedQueueItem("ds", Start), TestContext.Current.CancellationToken);
        await queue.EnqueueAsync(new EventBatchQueueItem([Thing("a"), Thing("b")]), TestContext.Current.CancellationToken);
        await Task.Delay(300, TestContext.Current.CancellationToken); // well under the 1 s a snapshot may hold readers back

        processor.Publisher.Current.LiveVertices.ShouldBeEmpty();

        await queue.EnqueueAsync(new SnapshotEndedQueueItem("ds", Start, Complete: true), TestContext.Current.CancellationToken);
        var version = await processor.Publisher.WaitForNewerAsync(0, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        version.LiveVertices.Select(v => v.Id).Order().ShouldBe(["a", "b"]);
        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task RunAsync_UpdateOutsideSnapshots_IsPublishedAtOnce()
    {
        var (queue, processor, running, stop) = Start_();

        await queue.EnqueueAsync(new EventBatchQueueItem([Thing("a", DatasourceAction.Update)]), TestContext.Current.CancellationToken);

        var version = await processor.Publisher.WaitForNewerAsync(0, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        version.LiveVertices.Single().Id.ShouldBe("a");
        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task RunAsync_OutputThatThrows_IsLoggedAndNeitherTheGraphNorTheOtherOutputsStop()
    {
        var broken = new RecordingOutput { Throw = true };
        var healthy = new RecordingOutput();
        var (queue, processor, running, stop) = Start_(broken, healthy);

        await queue.EnqueueAsync(new EventBatchQueueItem([Thing("a", DatasourceAction.Update), Thing("b", DatasourceAction.Update)]), TestContext.Current.CancellationToken);
        await queue.DrainAsync(TestContext.Current.CancellationToken);

        processor.Publisher.Current.LiveVertices.Count().ShouldBe(2);
        healthy.Events.ShouldBe(2);
        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => running);
    }

    private sealed class RecordingOutput : IGraphOutput
    {
        public bool Throw { get; init; }

        public int Events { get; private set; }

        public string Name => Throw ? "broken" : "healthy";

        public string? LastError => null;

        public ValueTask OnEventAsync(DatasourceEvent datasourceEvent, CancellationToken cancellationToken)
        {
            Events++;
            return Throw ? throw new InvalidOperationException("a bug in an output") : ValueTask.CompletedTask;
        }

        public ValueTask OnSnapshotStartedAsync(string datasourceName, DateTimeOffset startedAt, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask OnSnapshotEndedAsync(string datasourceName, DateTimeOffset startedAt, bool complete, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void OnGraphPublished(GraphVersion version)
        {
        }

        public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
