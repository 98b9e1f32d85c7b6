using System.Text.Json;
using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Outputs;

/// <summary>
/// Writes the whole graph to <c>[plugin_host] graph_file</c> after each completed snapshot, through
/// a temporary file renamed over the target so readers never see a half-written graph.
/// </summary>
internal sealed class GraphFileOutput(string path) : IGraphOutput
{
    public ValueTask OnEventAsync(DatasourceEvent datasourceEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask OnSnapshotCompletedAsync(string datasourceName, DateTimeOffset startedAt, EntityGraph graph, CancellationToken cancellationToken)
    {
        await WriteAsync(path, graph, cancellationToken).ConfigureAwait(false);
    }

    public static async Task WriteAsync(string path, EntityGraph graph, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
                NodeLinkGraphWriter.Write(writer, graph);
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
