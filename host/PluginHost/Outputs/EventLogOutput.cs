using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Outputs;

/// <summary>
/// Appends each datasource event as one JSON line with Vitrage's keys, to a file (created with
/// mode 0640) or (<c>-</c>) to standard output. Events wait in a bounded buffer for the writer;
/// the file is flushed at least once a second. When writing fails (a full disk), the error is
/// logged once, events are dropped and counted until the next snapshot starts, and the file is
/// opened again then. A full buffer (the disk is slower than the datasources) drops events too,
/// counted: the event log is a log, it never holds back the graph.
/// </summary>
internal sealed class EventLogOutput : IGraphOutput
{
    private const int Capacity = 4096;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly string _target;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly DistinctErrorLog _errors;
    private readonly Channel<Item> _buffer = Channel.CreateBounded<Item>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly Task _worker;
    private long _dropped;
    private long _written;
    private long _badEvents;

    public EventLogOutput(string target, ILogger logger, TimeProvider time)
    {
        _target = target == "-" ? target : Path.GetFullPath(target);
        _logger = logger;
        _time = time;
        _errors = new DistinctErrorLog(logger, $"event_log {_target}", "event_log");
        _worker = Task.Run(WorkAsync);
    }

    public string Name => "event_log";

    public string? LastError => _errors.Current;

    /// <summary>Events not written because the buffer was full or the file failed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Events written (buffered in the file stream or on disk).</summary>
    public long Written => Interlocked.Read(ref _written);

    public ValueTask OnEventAsync(DatasourceEvent datasourceEvent, CancellationToken cancellationToken) =>
        Offer(new Item(datasourceEvent, Reopen: false, Flushed: null));

    public ValueTask OnSnapshotStartedAsync(string datasourceName, DateTimeOffset startedAt, CancellationToken cancellationToken) =>
        Offer(new Item(null, Reopen: true, Flushed: null));

    public ValueTask OnSnapshotEndedAsync(string datasourceName, DateTimeOffset startedAt, bool complete, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    public void OnGraphPublished(GraphVersion version)
    {
    }

    /// <summary>An alarm that started or ended is a line of its own: <c>{"event_type": "vitrage.alarm.activate", "timestamp", "payload"}</c>.</summary>
    public ValueTask OnAlarmsChangedAsync(IReadOnlyList<GraphChange> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
        {
            Offer(new Item(null, Reopen: false, Flushed: null) { Alarm = change });
        }

        return ValueTask.CompletedTask;
    }

    private ValueTask Offer(Item item)
    {
        if (!_buffer.Writer.TryWrite(item) && (item.Event is not null || item.Alarm is not null) && Interlocked.Increment(ref _dropped) == 1)
        {
            _logger.LogWarning("event_log {Target} cannot keep up: its buffer of {Capacity} events is full, events are dropped (counted)", _target, Capacity);
        }

        return ValueTask.CompletedTask;
    }

    // Only the worker touches these.
    private Stream? _stream;
    private Utf8JsonWriter? _writer;
    private bool _failed;

    private async Task WorkAsync()
    {
        var lastFlush = _time.GetUtcNow();
        try
        {
            while (true)
            {
                if (!_buffer.Reader.TryRead(out var item))
                {
                    // Idle: what was written reaches the file before we wait.
                    Flush();
                    lastFlush = _time.GetUtcNow();
                    if (!await _buffer.Reader.WaitToReadAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    continue;
                }

                if (item.Reopen)
                {
                    _failed = false; // a failing file is tried again at each snapshot
                }

                if (item.Event is { } datasourceEvent)
                {
                    Write(w => EventJson.Write(w, datasourceEvent));
                }
                else if (item.Alarm is { } alarm)
                {
                    Write(w => WriteAlarm(w, alarm));
                }

                if (item.Flushed is not null || _time.GetUtcNow() - lastFlush >= FlushInterval)
                {
                    Flush();
                    lastFlush = _time.GetUtcNow();
                }

                item.Flushed?.TrySetResult();
            }
        }
        finally
        {
            Flush();
            if (!_failed && _target != "-")
            {
                Close();
            }
        }
    }

    private void Close()
    {
        try
        {
            _writer?.Dispose();
            _stream?.Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _errors.Failed(e.Message);
        }

        _writer = null;
        _stream = null;
    }

    private void WriteAlarm(Utf8JsonWriter writer, GraphChange alarm)
    {
        writer.WriteStartObject();
        writer.WriteString("event_type", AlarmEventJson.EventType(alarm));
        writer.WriteString("timestamp", EventJson.FormatTime(alarm.Alarm!.UpdateTimestamp));
        writer.WritePropertyName("payload");
        AlarmEventJson.WritePayload(writer, alarm);
        writer.WriteEndObject();
    }

    private void Write(Action<Utf8JsonWriter> write)
    {
        if (_failed)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        try
        {
            _stream ??= Open();
            _writer ??= new Utf8JsonWriter(_stream);
            write(_writer);
            _writer.Flush();
            _writer.Reset();
            _stream.Write(NewLine);
            Interlocked.Increment(ref _written);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _dropped);
            Fail(e);
        }
        catch (JsonException e)
        {
            // A plugin's FromUtf8 bytes that are not JSON: that event is dropped, the log goes on.
            if (Interlocked.Increment(ref _badEvents) == 1)
            {
                _logger.LogWarning("event_log {Target}: an event whose properties are not JSON was dropped (counted): {Error}", _target, e.Message);
            }

            Interlocked.Increment(ref _dropped);
        }
    }

    private void Flush()
    {
        if (_stream is null || _failed)
        {
            return;
        }

        try
        {
            _stream.Flush();
            _errors.Succeeded();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail(e);
        }
    }

    private void Fail(Exception e)
    {
        _errors.Failed(e.Message);
        _failed = true;
        try
        {
            // Both hold bytes that did not reach the disk: disposing them writes again, and fails again.
            _writer?.Dispose();
            _stream?.Dispose();
        }
        catch (Exception disposeError) when (disposeError is IOException or UnauthorizedAccessException)
        {
            // the buffered bytes are what failed; they are dropped with the stream
        }

        _writer = null;
        _stream = null;
    }

    private Stream Open()
    {
        if (_target == "-")
        {
            return Console.OpenStandardOutput();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_target)!);
        var options = new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            BufferSize = 1 << 16,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        }

        return new FileStream(_target, options);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_buffer.Writer.TryWrite(new Item(null, Reopen: false, Flushed: flushed)))
        {
            await Task.WhenAny(flushed.Task, _worker).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _buffer.Writer.TryComplete();
        await _worker.ConfigureAwait(false);
        if (Dropped > 0)
        {
            _logger.LogWarning("event_log {Target}: {Dropped} events were not written (buffer full or write errors)", _target, Dropped);
        }
    }

    private sealed record Item(DatasourceEvent? Event, bool Reopen, TaskCompletionSource? Flushed)
    {
        /// <summary>An alarm that started or ended, instead of an event.</summary>
        public GraphChange? Alarm { get; init; }
    }
}
