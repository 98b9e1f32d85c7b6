using PluginHost.Contracts;

namespace PluginHost.Graph;

/// <summary>What travels on the graph queue.</summary>
internal abstract record GraphQueueItem;

/// <summary>Datasource events to transform and apply, in order.</summary>
internal sealed record EventBatchQueueItem(IReadOnlyList<DatasourceEvent> Events) : GraphQueueItem;

/// <summary>A datasource started a snapshot at <see cref="StartedAt"/>.</summary>
internal sealed record SnapshotStartedQueueItem(string DatasourceName, DateTimeOffset StartedAt) : GraphQueueItem;

/// <summary>A datasource finished a complete snapshot that started at <see cref="StartedAt"/>.</summary>
internal sealed record SnapshotCompletedQueueItem(string DatasourceName, DateTimeOffset StartedAt) : GraphQueueItem;

/// <summary>Completes when every item queued before it has been applied.</summary>
internal sealed record BarrierQueueItem(TaskCompletionSource Processed) : GraphQueueItem;
