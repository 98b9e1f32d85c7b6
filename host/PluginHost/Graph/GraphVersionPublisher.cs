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

    private System.Collections.Immutable.ImmutableHashSet<string> _snapshotted = System.Collections.Immutable.ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    /// <summary>
    /// The datasources a complete snapshot of which is in <see cref="Current"/> (or an earlier version):
    /// what they report is in the graph readers see. Marked by the processor once a version with the
    /// snapshot's end is published, not when the datasource finished listing (its last events may
    /// still be queued, and a first snapshot publishes nothing before its end), so a reader told the
    /// graph is ready never gets a version without it.
    /// </summary>
    public System.Collections.Immutable.ImmutableHashSet<string> Snapshotted => Volatile.Read(ref _snapshotted);

    /// <summary>Called by the processor after the publication that holds these datasources' complete snapshots.</summary>
    public void MarkSnapshotted(IEnumerable<string> datasources) => Volatile.Write(ref _snapshotted, Snapshotted.Union(datasources));

    /// <summary>A datasource no longer enabled: its entities were deleted; enabled again, it needs a snapshot again.</summary>
    public void ForgetSnapshotted(string datasource) => Volatile.Write(ref _snapshotted, Snapshotted.Remove(datasource));

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
