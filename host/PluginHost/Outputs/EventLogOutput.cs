using System.Text.Json;
using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Outputs;

/// <summary>
/// Appends each datasource event as one JSON line with Vitrage's keys, to a file or (<c>-</c>) to
/// standard output. Flushed after every completed snapshot and on shutdown.
/// </summary>
internal sealed class EventLogOutput : IGraphOutput
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly Utf8JsonWriter _writer;
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public EventLogOutput(string target)
    {
        if (target == "-")
        {
            _stream = Console.OpenStandardOutput();
            _ownsStream = false;
        }
        else
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(target));
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }

            _stream = new FileStream(target, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);
            _ownsStream = true;
        }

        _writer = new Utf8JsonWriter(_stream);
    }

    public async ValueTask OnEventAsync(DatasourceEvent datasourceEvent, CancellationToken cancellationToken)
    {
        datasourceEvent.WriteTo(_writer);
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        _writer.Reset();
        await _stream.WriteAsync(NewLine, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask OnSnapshotCompletedAsync(string datasourceName, DateTimeOffset startedAt, EntityGraph graph, CancellationToken cancellationToken) =>
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _stream.FlushAsync().ConfigureAwait(false);
        if (_ownsStream)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
