namespace PluginHost.Contracts;

/// <summary>
/// Implemented by a driver that can report changes between snapshots (<c>update_method = pull</c>
/// or <c>push</c>). The host may run it while a <see cref="IDatasourceDriver.GetAllAsync"/> runs.
/// </summary>
public interface IChangesDriver
{
    /// <summary>
    /// Pull: yields what changed since the previous call and ends. Push: streams changes until
    /// cancelled; when the stream ends, the host opens it again (with a backoff after a failure).
    /// An event whose transformer returns <see cref="GraphAction.Delete"/> removes the entity at once;
    /// <see cref="DatasourceEvent.EndOfSnapshot"/> completes a snapshot read inside the stream.
    /// </summary>
    IAsyncEnumerable<DatasourceEvent> GetChangesAsync(CancellationToken cancellationToken);
}
