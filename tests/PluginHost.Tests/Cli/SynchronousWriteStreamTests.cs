using PluginHost.Cli;

namespace PluginHost.Tests.Cli;

public sealed class SynchronousWriteStreamTests
{
    /// <summary>Records the thread of each write, as the console's stream would see it.</summary>
    private sealed class ThreadRecordingStream : MemoryStream
    {
        public List<int> WriteThreads { get; } = [];

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            WriteThreads.Add(Environment.CurrentManagedThreadId);
            base.Write(buffer);
        }
    }

    [Fact]
    public void WriteAsync_AnyBuffer_IsWrittenOnTheCallersThreadBeforeItReturns()
    {
        using var inner = new ThreadRecordingStream();
        using var stream = new SynchronousWriteStream(inner);

        var first = stream.WriteAsync("{\"a\":"u8.ToArray(), TestContext.Current.CancellationToken);
        var second = stream.WriteAsync("1}"u8.ToArray(), 0, 2, TestContext.Current.CancellationToken);

        first.IsCompletedSuccessfully.ShouldBeTrue();
        second.IsCompletedSuccessfully.ShouldBeTrue();
        inner.ToArray().ShouldBe("{\"a\":1}"u8.ToArray());
        inner.WriteThreads.ShouldAllBe(thread => thread == Environment.CurrentManagedThreadId);
    }

    [Fact]
    public async Task WriteAsync_Cancelled_WritesNothing()
    {
        using var inner = new ThreadRecordingStream();
        using var stream = new SynchronousWriteStream(inner);

        await Should.ThrowAsync<OperationCanceledException>(() => stream.WriteAsync("x"u8.ToArray(), new CancellationToken(canceled: true)).AsTask());

        inner.Length.ShouldBe(0);
    }

    [Fact]
    public async Task WriteAsync_InnerWriteFails_ReturnsAFaultedTask()
    {
        var inner = new ThreadRecordingStream();
        await inner.DisposeAsync(); // a closed pipe, say
        using var stream = new SynchronousWriteStream(inner);

        var write = stream.WriteAsync("x"u8.ToArray(), TestContext.Current.CancellationToken);

        write.IsFaulted.ShouldBeTrue();
        await Should.ThrowAsync<ObjectDisposedException>(() => write.AsTask());
    }

    [Fact]
    public void Dispose_InnerStream_IsLeftOpen()
    {
        using var inner = new ThreadRecordingStream();

        new SynchronousWriteStream(inner).Dispose();

        inner.CanWrite.ShouldBeTrue();
    }
}
