using System.Text.Json;
using Microsoft.Extensions.Logging;
using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Outputs;

/// <summary>
/// Keeps <c>[plugin_host] graph_file</c> equal to the latest published graph version: a worker
/// writes the newest version it was given, at most once per <see cref="MinimumInterval"/> (so a
/// stream of watched changes does not rewrite a large file for each one), through a new file with
/// a random name (created exclusively, mode 0640: it holds the cluster's inventory) renamed over
/// the target, so readers never see a half-written graph. A failed write is logged once per
/// distinct error and retried with the next version.
/// </summary>
internal sealed class GraphFileOutput : IGraphOutput
{
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(1);

    private const UnixFileMode FileMode0640 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly DistinctErrorLog _errors;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;
    private GraphVersion? _pending;
    private long _written;

    public GraphFileOutput(string path, ILogger logger, TimeProvider time)
    {
        _path = Path.GetFullPath(path);
        _time = time;
        _errors = new DistinctErrorLog(logger, $"graph_file {_path}", "graph_file");
        _worker = Task.Run(() => WorkAsync(_stop.Token));
    }

    public string Name => "graph_file";

    public string? LastError => _errors.Current;

    /// <summary>The number of the last version written (tests and status).</summary>
    public long WrittenVersion => Interlocked.Read(ref _written);

    public ValueTask OnEventAsync(DatasourceEvent datasourceEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask OnSnapshotStartedAsync(string datasourceName, DateTimeOffset startedAt, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask OnSnapshotEndedAsync(string datasourceName, DateTimeOffset startedAt, bool complete, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    public void OnGraphPublished(GraphVersion version)
    {
        Volatile.Write(ref _pending, version);
        Wake();
    }

    private void Wake()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // already signalled
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
                await WritePendingAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(MinimumInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    // One write at a time (worker or final flush), so an older version never lands after a newer one.
    private async Task WritePendingAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _pending) is not { } version || version.Number <= WrittenVersion)
            {
                return;
            }

            await WriteAsync(_path, version, cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _written, version.Number);
            _errors.Succeeded();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            _errors.Failed(e.Message);
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>Writes <paramref name="version"/> to <paramref name="path"/> atomically.</summary>
    public static async Task WriteAsync(string path, GraphVersion version, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);

        // Random and created exclusively: a name planted in a shared folder (a symlink) is never followed.
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 1 << 16,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode0640;
        }

        try
        {
            await using (var stream = new FileStream(temporary, options))
            {
                await using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
                {
                    await NodeLinkGraphWriter.WriteAsync(writer, Subgraph.AllLive(version), cancellationToken).ConfigureAwait(false);
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                // A full disk must fail here, not leave a truncated file renamed over a good one.
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (IOException e) when (e.Message.Contains(temporary, StringComparison.Ordinal))
        {
            // Name the file the operator configured, and keep the text equal from one failure to the next.
            throw new IOException(e.Message.Replace(temporary, path, StringComparison.Ordinal), e);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the folder itself is what fails; the error was already reported
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        // The worker may be between writes; write what is pending here, once.
        await WritePendingAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _worker.ConfigureAwait(false);
        _stop.Dispose();
        _signal.Dispose();
        _writing.Dispose();
    }
}
