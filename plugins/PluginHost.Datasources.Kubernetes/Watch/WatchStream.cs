namespace PluginHost.Datasources.Kubernetes.Watch;

/// <summary>
/// One open watch, read line by line (one event a line) into a buffer of its own. Every read is
/// bounded: a line may not be longer than <c>max_page_bytes</c> (the buffer grows by doubling up
/// to it), and a stream that sends nothing — no event, no bookmark — for its idle deadline (twice
/// its <c>timeoutSeconds</c>; the HTTP timeout cannot apply to a stream) is given up as hung.
/// </summary>
internal sealed class WatchStream : IAsyncDisposable
{
    private const int InitialBytes = 64 * 1024;

    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private readonly int _maxLineBytes;
    private readonly CancellationTokenSource _idle;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scanned;

    private WatchStream(HttpResponseMessage response, Stream body, int maxLineBytes, TimeSpan idleDeadline, TimeProvider time)
    {
        _response = response;
        _body = body;
        _maxLineBytes = maxLineBytes;
        IdleDeadline = idleDeadline;
        _idle = new CancellationTokenSource(idleDeadline, time);
        _buffer = new byte[Math.Min(InitialBytes, maxLineBytes)];
        OpenedAt = time.GetUtcNow();
    }

    public DateTimeOffset OpenedAt { get; }

    public TimeSpan IdleDeadline { get; }

    /// <summary>Lines read so far (events and bookmarks).</summary>
    public int Received { get; private set; }

    /// <summary>Whether a whole next event is already buffered (reading it will not wait).</summary>
    public bool HasBufferedEvent => _buffer.AsSpan(_start, _end - _start).Contains((byte)'\n');

    public static async Task<WatchStream> OpenAsync(
        KubernetesApiClient api, string relativePath, bool watchList, int maxLineBytes, TimeSpan idleDeadline, TimeProvider time, CancellationToken cancellationToken)
    {
        var response = await api.OpenWatchAsync(relativePath, watchList, cancellationToken).ConfigureAwait(false);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new WatchStream(response, body, maxLineBytes, idleDeadline, time);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The next event, or <c>null</c> when the server ended the stream. A broken connection throws
    /// <see cref="IOException"/>, the idle deadline <see cref="WatchIdleException"/>, a line over
    /// the bound <see cref="WatchLineTooLongException"/>, a line that is not an event
    /// <see cref="System.Text.Json.JsonException"/>.
    /// </summary>
    public async ValueTask<WatchEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = _buffer.AsMemory(_start, _scanned + newline - _start);
                _start = _scanned = _scanned + newline + 1;
                if (line.Span.Trim(" \r\t"u8).IsEmpty)
                {
                    continue;
                }

                Received++;
                _idle.CancelAfter(IdleDeadline); // anything from the server proves the stream alive
                return WatchEvent.Parse(line);
            }

            _scanned = _end;
            MakeRoom();
            int read;
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _idle.Token))
            {
                try
                {
                    read = await _body.ReadAsync(_buffer.AsMemory(_end), linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new WatchIdleException(IdleDeadline);
                }
            }

            if (read == 0)
            {
                return _end == _start ? null : throw new IOException("the stream ended in the middle of an event");
            }

            _end += read;
        }
    }

    // Moves the unread part to the front, or grows the buffer when a line fills it.
    private void MakeRoom()
    {
        if (_end < _buffer.Length)
        {
            return;
        }

        var pending = _end - _start;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        }
        else if (_buffer.Length < _maxLineBytes)
        {
            var larger = new byte[(int)Math.Min((long)_buffer.Length * 2, _maxLineBytes)];
            _buffer.AsSpan(0, pending).CopyTo(larger);
            _buffer = larger;
        }
        else
        {
            throw new WatchLineTooLongException(_maxLineBytes);
        }

        _scanned -= _start;
        _start = 0;
        _end = pending;
    }

    public async ValueTask DisposeAsync()
    {
        await _body.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
        _idle.Dispose();
    }
}

/// <summary>A watch sent nothing, not even a bookmark, for its idle deadline.</summary>
internal sealed class WatchIdleException(TimeSpan deadline)
    : Exception($"nothing arrived, not even a bookmark, for {deadline.TotalSeconds:0} s (twice the watch's timeoutSeconds)");

/// <summary>A watch event longer than <c>max_page_bytes</c>.</summary>
internal sealed class WatchLineTooLongException(int maxBytes)
    : Exception($"a watch event is larger than {maxBytes} bytes ([kubernetes] max_page_bytes)");
