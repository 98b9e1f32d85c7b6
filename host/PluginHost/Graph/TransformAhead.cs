using PluginHost.Contracts;

namespace PluginHost.Graph;

/// <summary>
/// Transforms a batch of a first snapshot's events on the thread pool while the graph processor
/// applies the batches queued before it. In a first snapshot every entity is new to the graph, so
/// every event is transformed, and the transforms (parsing each node) were about four fifths of the
/// processor's time in a cold 5,000-node <c>snapshot</c>, on one core of two (bench/README.md).
/// </summary>
/// <remarks>
/// The processor still applies every event in queue order, on its own task. It takes a batch's
/// results only when they were made with the transformers it holds (a reload in between makes it
/// transform again), and an event whose entity the graph already holds at that version still takes
/// the fast path: work done ahead can be wasted, never wrong. A transform that throws here is left
/// to the processor, which runs it again and reports the failure as it always does. Transformers
/// are safe to call from any thread (<see cref="IEntityTransformer"/>); the queue's capacity bounds
/// how many batches are transformed at once, and so the memory their results hold while queued
/// (the default 256 events: 8 batches).
/// </remarks>
internal sealed class TransformAhead(TransformerRegistry initialTransformers)
{
    private TransformerRegistry _transformers = initialTransformers;

    /// <summary>From now on, batches are transformed with <paramref name="transformers"/> (a reload replaced them).</summary>
    public void Use(TransformerRegistry transformers) => Volatile.Write(ref _transformers, transformers);

    /// <summary>Starts transforming <paramref name="events"/> on the thread pool.</summary>
    public TransformedBatch Start(IReadOnlyList<DatasourceEvent> events)
    {
        var transformers = Volatile.Read(ref _transformers);
        return new TransformedBatch(transformers, Task.Run(() => TransformAll(transformers, events)));
    }

    private static EntityUpdate?[] TransformAll(TransformerRegistry transformers, IReadOnlyList<DatasourceEvent> events)
    {
        var updates = new EntityUpdate?[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var datasourceEvent = events[i];
            try
            {
                // Inside the try: a task nobody awaits (the transformers were replaced) must not fault.
                if (!datasourceEvent.IsEndOfSnapshot && transformers.Find(datasourceEvent.EntityType) is { } transformer)
                {
                    updates[i] = transformer.Transform(datasourceEvent);
                }
            }
#pragma warning disable CA1031 // the processor transforms this event again and reports its failure there
            catch (Exception)
#pragma warning restore CA1031
            {
                // left null: not transformed ahead
            }
        }

        return updates;
    }
}

/// <summary>A batch's events transformed ahead (<c>null</c> where an event was not), and with which transformers.</summary>
internal sealed record TransformedBatch(TransformerRegistry Transformers, Task<EntityUpdate?[]> Updates);
