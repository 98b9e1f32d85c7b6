namespace PluginHost.Contracts;

/// <summary>
/// Does a datasource's I/O and nothing else: it reads entities and yields them as events, as it
/// reads them (no need to hold the whole list). Mapping entities to vertices is the transformer's.
/// </summary>
public interface IDatasourceDriver : IAsyncDisposable
{
    /// <summary>
    /// Lists every entity (Vitrage's <c>get_all</c>). The host runs one listing at a time and treats
    /// it as complete only when the enumeration ends without an exception; only then are entities
    /// that were not reported deleted. Throw <see cref="DatasourceException"/> on failure.
    /// </summary>
    IAsyncEnumerable<DatasourceEvent> GetAllAsync(DatasourceAction action, CancellationToken cancellationToken);
}
