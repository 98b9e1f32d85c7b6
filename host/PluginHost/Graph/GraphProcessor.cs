using Microsoft.Extensions.Logging;
using PluginHost.Contracts;
using PluginHost.Outputs;

namespace PluginHost.Graph;

/// <summary>
/// The one task that owns the <see cref="EntityGraph"/>: reads the queue, transforms each event,
/// applies it, and after a complete snapshot deletes what the snapshot no longer reported.
/// </summary>
internal sealed class GraphProcessor(
    GraphQueue queue,
    EntityGraph graph,
    TransformerRegistry transformers,
    IReadOnlyList<IGraphOutput> outputs,
    TimeSpan deletedEntityRetention,
    ILogger logger)
{
    private readonly HashSet<string> _typesWithoutTransformer = new(StringComparer.Ordinal);

    public EntityGraph Graph => graph;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var item in queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (item)
            {
                case EventBatchQueueItem batch:
                    foreach (var datasourceEvent in batch.Events)
                    {
                        await ApplyEventAsync(datasourceEvent, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                case SnapshotStartedQueueItem started:
                    foreach (var output in outputs)
                    {
                        await output.OnSnapshotStartedAsync(started.DatasourceName, started.StartedAt, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                case SnapshotCompletedQueueItem done:
                    await CompleteSnapshotAsync(done, cancellationToken).ConfigureAwait(false);
                    break;
                case BarrierQueueItem barrier:
                    barrier.Processed.TrySetResult();
                    break;
            }
        }
    }

    private async ValueTask ApplyEventAsync(DatasourceEvent datasourceEvent, CancellationToken cancellationToken)
    {
        if (datasourceEvent.EntityType == DatasourceEvent.SnapshotCompletedEntityType)
        {
            await CompleteSnapshotAsync(new SnapshotCompletedQueueItem(datasourceEvent.DatasourceName, datasourceEvent.SampleTime), cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        foreach (var output in outputs)
        {
            await output.OnEventAsync(datasourceEvent, cancellationToken).ConfigureAwait(false);
        }

        var transformer = transformers.Find(datasourceEvent.EntityType);
        if (transformer is null)
        {
            if (_typesWithoutTransformer.Add(datasourceEvent.EntityType))
            {
                logger.LogWarning("No transformer for entity type {EntityType} (from datasource {Datasource}); its events are skipped",
                    datasourceEvent.EntityType, datasourceEvent.DatasourceName);
            }

            return;
        }

        try
        {
            if (transformer is IVersionedEntityTransformer versioned && versioned.Identify(datasourceEvent) is { } identity
                && graph.TryRefresh(identity, datasourceEvent.DatasourceName, datasourceEvent.SampleTime))
            {
                return; // unchanged since the graph last saw it
            }

            var update = transformer.Transform(datasourceEvent);
            graph.Apply(update, datasourceEvent.DatasourceName, datasourceEvent.SampleTime);
        }
#pragma warning disable CA1031 // one bad entity must not stop the graph; it is logged and skipped
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Transformer for {EntityType} failed on an event from {Datasource}; the event is skipped",
                datasourceEvent.EntityType, datasourceEvent.DatasourceName);
        }
    }

    private async ValueTask CompleteSnapshotAsync(SnapshotCompletedQueueItem done, CancellationToken cancellationToken)
    {
        var deleted = graph.MarkOutdatedDeleted(done.DatasourceName, done.StartedAt);
        var purged = graph.Purge(deletedEntityRetention);
        logger.LogDebug("Snapshot of {Datasource} applied: {Deleted} entities no longer reported were marked deleted, {Purged} purged",
            done.DatasourceName, deleted, purged);
        foreach (var output in outputs)
        {
            await output.OnSnapshotCompletedAsync(done.DatasourceName, done.StartedAt, graph, cancellationToken).ConfigureAwait(false);
        }
    }
}
