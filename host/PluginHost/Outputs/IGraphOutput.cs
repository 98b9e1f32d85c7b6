using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Outputs;

/// <summary>Something that is told about events and completed snapshots (files, logs, buses).</summary>
internal interface IGraphOutput : IAsyncDisposable
{
    ValueTask OnEventAsync(DatasourceEvent datasourceEvent, CancellationToken cancellationToken);

    ValueTask OnSnapshotCompletedAsync(string datasourceName, EntityGraph graph, CancellationToken cancellationToken);
}
