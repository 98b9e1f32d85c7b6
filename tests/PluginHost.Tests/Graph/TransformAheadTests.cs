using System.Text.Json;
using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Graph;

/// <summary>
/// A first snapshot's batches transformed on the thread pool (<see cref="TransformAhead"/>) while the
/// processor applies what came before: the graph must be exactly what transforming on the
/// processor's task gives, whatever happens between the two.
/// </summary>
public sealed class TransformAheadTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A <c>thing</c> event → a vertex whose state is <c>&lt;label&gt;:&lt;state&gt;</c>; throws for the id <c>bad</c>.</summary>
    private sealed class CountingTransformer(string label) : IEntityTransformer
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public EntityUpdate Transform(DatasourceEvent e)
        {
            Interlocked.Increment(ref _calls);
            var id = e.Properties.GetProperty("id").GetString()!;
            return id == "bad"
                ? throw new InvalidDataException("no such thing")
                : new(new EntityVertex("thing", id) { State = $"{label}:{e.Properties.GetProperty("state").GetString()}" }, [], GraphAction.Create);
        }
    }

    private static DatasourceEvent Thing(string id, string state = "OK") =>
        new("thing", DatasourceAction.InitSnapshot, Start, "ds", JsonSerializer.SerializeToElement(new { id, state }));

    private static TransformerRegistry Registry(IEntityTransformer transformer) =>
        new([("things", new Dictionary<string, IEntityTransformer> { ["thing"] = transformer })]);

    public static TheoryData<string, string[], bool, string[], int, int> Cases() => new()
    {
        // case, ids in the batch, transformers replaced in between, vertices (id=state), transforms ahead, transforms by the processor
        { "transformed ahead: the processor uses the results", ["a", "b", "c"], false, ["a=v1:OK", "b=v1:OK", "c=v1:OK"], 3, 0 },
        { "transformers replaced after the batch was transformed: transformed again with the new ones", ["a", "b"], true, ["a=v2:OK", "b=v2:OK"], 2, 2 },
        { "a transform that throws ahead: the processor runs it again, reports it and applies the others", ["a", "bad", "c"], false, ["a=v1:OK", "c=v1:OK"], 3, 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RunAsync_BatchTransformedAhead_GraphIsWhatTheProcessorsTransformersGive(
        string name, string[] ids, bool replaced, string[] vertices, int transformsAhead, int transformsByProcessor)
    {
        _ = name;
        var first = new CountingTransformer("v1");
        var second = new CountingTransformer("v2");
        var registry = Registry(first);
        var ahead = new TransformAhead(registry);
        var logger = new CapturingLogger();
        var (queue, processor, running, stop) = ThingPipeline.Start(registry, logger, publishWindow: null, ahead);

        var batch = new EventBatchQueueItem(ids.Select(id => Thing(id)).ToList()) { Ahead = ahead.Start(ids.Select(id => Thing(id)).ToList()) };
        await batch.Ahead!.Updates.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var firstCallsAhead = first.Calls;
        if (replaced)
        {
            var done = new TaskCompletionSource<IReadOnlyList<PluginHost.Outputs.IGraphOutput>>();
            await queue.EnqueueAsync(new ReconfigureQueueItem(Registry(second), null, TimeSpan.FromMinutes(10), done), TestContext.Current.CancellationToken);
        }

        await queue.EnqueueAsync(new SnapshotStartedQueueItem("ds", Start), TestContext.Current.CancellationToken);
        await queue.EnqueueAsync(batch, TestContext.Current.CancellationToken);
        await queue.EnqueueAsync(new SnapshotEndedQueueItem("ds", Start, Complete: true), TestContext.Current.CancellationToken);
        await queue.DrainAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        processor.Publisher.Current.LiveVertices.Select(v => $"{v.Id}={v.State}").Order().ShouldBe(vertices);
        firstCallsAhead.ShouldBe(transformsAhead);
        (first.Calls + second.Calls - firstCallsAhead).ShouldBe(transformsByProcessor);
        logger.Errors.Count(e => e.Contains("no such thing", StringComparison.Ordinal)).ShouldBe(ids.Count(id => id == "bad"));
        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task EnqueueAllAsync_TwoEventsOfOneEntityTransformedAhead_AreAppliedInOrder()
    {
        var transformer = new CountingTransformer("v1");
        var registry = Registry(transformer);
        var ahead = new TransformAhead(registry);
        var (queue, processor, running, stop) = ThingPipeline.Start(registry, new CapturingLogger(), publishWindow: null, ahead);

        // More than one batch (32 events each), so batches are transformed at once and must still apply in order.
        var events = Enumerable.Range(0, 100).Select(i => Thing("a", $"S{i}")).ToAsyncEnumerable();
        await queue.EnqueueAsync(new SnapshotStartedQueueItem("ds", Start), TestContext.Current.CancellationToken);
        var count = await EventBatcher.EnqueueAllAsync(events, queue, TestContext.Current.CancellationToken, transformAhead: ahead);
        await queue.EnqueueAsync(new SnapshotEndedQueueItem("ds", Start, Complete: true), TestContext.Current.CancellationToken);
        await queue.DrainAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        count.ShouldBe(100);
        processor.Publisher.Current.LiveVertices.Single().State.ShouldBe("v1:S99");
        transformer.Calls.ShouldBe(100); // each once, ahead
        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => running);
    }
}
