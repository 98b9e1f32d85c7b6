namespace PluginHost.Graph;

/// <summary>
/// Holds the latest published <see cref="GraphVersion"/>. The processor is the only writer;
/// any thread may read <see cref="Current"/> or wait for the next version.
/// </summary>
internal sealed class GraphVersionPublisher
{
    private GraphVersion _current = GraphVersion.Empty;
    private TaskCompletionSource<GraphVersion> _next = NewSignal();

    public GraphVersion Current => Volatile.Read(ref _current);

    /// <summary>Raised on the processor's thread after each publication; handlers must not block.</summary>
    public event Action<GraphVersion>? Published;

    public void Publish(GraphVersion version)
    {
        Volatile.Write(ref _current, version);
        Interlocked.Exchange(ref _next, NewSignal()).TrySetResult(version);
        Published?.Invoke(version);
    }

    /// <summary>Completes with the first version newer than <paramref name="than"/> (at once if there is one).</summary>
    public Task<GraphVersion> WaitForNewerAsync(long than, CancellationToken cancellationToken)
    {
        var signal = Volatile.Read(ref _next);
        var current = Current;
        return current.Number > than ? Task.FromResult(current) : signal.Task.WaitAsync(cancellationToken);
    }

    private static TaskCompletionSource<GraphVersion> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
