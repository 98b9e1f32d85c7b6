using PluginHost.Contracts;

namespace PluginHost.Graph;

/// <summary>What travels on the graph queue.</summary>
internal abstract record GraphQueueItem;

/// <summary>Datasource events to transform and apply, in order.</summary>
internal sealed record EventBatchQueueItem(IReadOnlyList<DatasourceEvent> Events) : GraphQueueItem
{
    /// <summary>The events transformed ahead, off the processor's task (a first snapshot's); <c>null</c>: none.</summary>
    public TransformedBatch? Ahead { get; init; }
}

/// <summary>A datasource started a snapshot at <see cref="StartedAt"/>.</summary>
internal sealed record SnapshotStartedQueueItem(string DatasourceName, DateTimeOffset StartedAt) : GraphQueueItem;

/// <summary>
/// A datasource's snapshot that started at <see cref="StartedAt"/> ended. Only a
/// <see cref="Complete"/> one lets the graph delete what it did not report.
/// </summary>
internal sealed record SnapshotEndedQueueItem(string DatasourceName, DateTimeOffset StartedAt, bool Complete) : GraphQueueItem;

/// <summary>
/// Deletes every vertex (and edge) of a datasource that is no longer enabled (a reload turned it off).
/// </summary>
internal sealed record DatasourceRemovedQueueItem(string DatasourceName) : GraphQueueItem;

/// <summary>
/// A reload changed what the processor works with: from this point of the queue on, events are
/// transformed with <see cref="Transformers"/> (when set) and told to <see cref="Outputs"/> (when
/// set). <see cref="Replaced"/> gets the outputs that were replaced, for the caller to close.
/// </summary>
internal sealed record ReconfigureQueueItem(
    TransformerRegistry? Transformers,
    IReadOnlyList<Outputs.IGraphOutput>? Outputs,
    TimeSpan DeletedEntityRetention,
    TaskCompletionSource<IReadOnlyList<Outputs.IGraphOutput>> Replaced) : GraphQueueItem;

/// <summary>Completes when every item queued before it has been applied and published.</summary>
internal sealed record BarrierQueueItem(TaskCompletionSource Processed) : GraphQueueItem;
