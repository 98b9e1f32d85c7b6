namespace PluginHost.Contracts;

/// <summary>
/// Does a datasource's I/O. The host never runs two calls of one driver at once.
/// </summary>
public interface IDatasourceDriver : IAsyncDisposable
{
    /// <summary>
    /// Lists every entity, yielding events as they are read. The host treats the listing as complete
    /// only when the enumeration ends without an exception; only then are entities that were not
    /// reported marked deleted.
    /// </summary>
    IAsyncEnumerable<DatasourceEvent> GetAllAsync(DatasourceAction action, CancellationToken cancellationToken);
}

/// <summary>Implemented by drivers that can report changes between snapshots.</summary>
public interface IChangesDriver
{
    /// <summary>
    /// Pull: returns what changed since the previous call and ends. Push: streams changes until cancelled.
    /// An event whose transformer returns <see cref="GraphAction.Delete"/> removes the entity.
    /// </summary>
    IAsyncEnumerable<DatasourceEvent> GetChangesAsync(CancellationToken cancellationToken);
}
