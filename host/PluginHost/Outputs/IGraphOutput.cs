using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Outputs;

/// <summary>Something that is told about events and snapshots (files, logs, buses).</summary>
internal interface IGraphOutput : IAsyncDisposable
{
    ValueTask OnEventAsync(DatasourceEvent datasourceEvent, CancellationToken cancellationToken);

    /// <summary>A datasource started a snapshot; its events follow.</summary>
    ValueTask OnSnapshotStartedAsync(string datasourceName, DateTimeOffset startedAt, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>A datasource completed the snapshot it started at <paramref name="startedAt"/>, and the graph applied it.</summary>
    ValueTask OnSnapshotCompletedAsync(string datasourceName, DateTimeOffset startedAt, EntityGraph graph, CancellationToken cancellationToken);
}
