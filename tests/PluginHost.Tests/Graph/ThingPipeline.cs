using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.Outputs;

namespace PluginHost.Tests.Graph;

/// <summary>
/// A running graph processor whose one transformer turns a <c>thing</c> event (<c>{"id", "state"}</c>)
/// into a vertex, for tests of what the processor does with events rather than of a datasource.
/// </summary>
internal static class ThingPipeline
{
    private sealed class ThingTransformer : IEntityTransformer
    {
        public EntityUpdate Transform(DatasourceEvent e) =>
            new(new EntityVertex("thing", e.Properties.GetProperty("id").GetString()!) { State = e.Properties.GetProperty("state").GetString() },
                [], GraphAction.Create);
    }

    /// <summary>Starts the processor on its own task; cancel <c>Stop</c> to end it.</summary>
    public static (GraphQueue Queue, GraphProcessor Processor, Task Running, CancellationTokenSource Stop) Start(TimeSpan? publishWindow, params IGraphOutput[] outputs) =>
        Start(publishWindow, publishWhileSnapshotsOpen: true, outputs);

    /// <summary>The same, publishing during open snapshots or not.</summary>
    public static (GraphQueue Queue, GraphProcessor Processor, Task Running, CancellationTokenSource Stop) Start(
        TimeSpan? publishWindow, bool publishWhileSnapshotsOpen, params IGraphOutput[] outputs) =>
        Start(NullLogger.Instance, publishWindow, publishWhileSnapshotsOpen, outputs);

    /// <summary>The same, logging to <paramref name="logger"/>.</summary>
    public static (GraphQueue Queue, GraphProcessor Processor, Task Running, CancellationTokenSource Stop) Start(
        ILogger logger, TimeSpan? publishWindow, bool publishWhileSnapshotsOpen = true, params IGraphOutput[] outputs) =>
        Start(new TransformerRegistry([("things", new Dictionary<string, IEntityTransformer> { ["thing"] = new ThingTransformer() })]),
            logger, publishWindow, transformAhead: null, publishWhileSnapshotsOpen, outputs);

    /// <summary>The same with the test's own transformers, logger and <see cref="TransformAhead"/>.</summary>
    public static (GraphQueue Queue, GraphProcessor Processor, Task Running, CancellationTokenSource Stop) Start(
        TransformerRegistry transformers, ILogger logger, TimeSpan? publishWindow, TransformAhead? transformAhead, params IGraphOutput[] outputs) =>
        Start(transformers, logger, publishWindow, transformAhead, publishWhileSnapshotsOpen: true, outputs);

    /// <summary>The same, publishing during open snapshots or not (<c>run</c> does, <c>snapshot</c> does not).</summary>
    public static (GraphQueue Queue, GraphProcessor Processor, Task Running, CancellationTokenSource Stop) Start(
        TransformerRegistry transformers, ILogger logger, TimeSpan? publishWindow, TransformAhead? transformAhead, bool publishWhileSnapshotsOpen,
        params IGraphOutput[] outputs)
    {
        var queue = new GraphQueue(256);
        var processor = new GraphProcessor(queue, new EntityGraph(TimeProvider.System), transformers,
            outputs, new GraphVersionPublisher(), TimeSpan.FromMinutes(10), TimeProvider.System, logger, publishWindow, transformAhead,
            publishWhileSnapshotsOpen: publishWhileSnapshotsOpen);
        var stop = new CancellationTokenSource();
        return (queue, processor, Task.Run(() => processor.RunAsync(stop.Token)), stop);
    }
}
