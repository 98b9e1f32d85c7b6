namespace PluginHost.Cli;

/// <summary>
/// Writes to <paramref name="inner"/> on the caller's thread, for <c>WriteAsync</c> too; the inner
/// stream stays the caller's to dispose.
/// </summary>
/// <remarks>
/// Why: the console's stream has no asynchronous write of its own, so <see cref="Stream.WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
/// falls back to the base class, which queues every write to the thread pool behind a semaphore.
/// <c>snapshot --format json</c> hands tens of MB to standard output in 16 KB pieces (the writer the
/// REST API shares); writing them in place made the write of a 5,000-node graph take ~115 instead of
/// ~190 ms (bench/README.md). A write to standard output blocks the process either way when its
/// reader is slow.
/// </remarks>
internal sealed class SynchronousWriteStream(Stream inner) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        try
        {
            inner.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
#pragma warning disable CA1031 // handed to the awaiter as a faulted task, as an asynchronous write would
        catch (Exception e)
#pragma warning restore CA1031
        {
            return ValueTask.FromException(e);
        }
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        try
        {
            inner.Flush();
            return Task.CompletedTask;
        }
#pragma warning disable CA1031 // handed to the awaiter as a faulted task, as an asynchronous flush would
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Task.FromException(e);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
