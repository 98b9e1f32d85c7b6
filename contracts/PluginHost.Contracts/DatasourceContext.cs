using Microsoft.Extensions.Logging;

namespace PluginHost.Contracts;

/// <summary>What the host hands a plugin when it creates the plugin's driver.</summary>
/// <param name="Name">The datasource name, equal to its config section.</param>
/// <param name="Settings">The validated config section.</param>
/// <param name="Logger">Logs go to the host's log (stderr); never log secrets.</param>
/// <param name="Time">The clock; tests pass a fake one.</param>
/// <param name="Stopping">Cancelled when the host shuts down.</param>
public sealed record DatasourceContext(
    string Name,
    DatasourceSettings Settings,
    ILogger Logger,
    TimeProvider Time,
    CancellationToken Stopping)
{
    /// <summary>
    /// Entity types that other datasources own (loaded plugins' transformers plus OpenStack's
    /// well-known types). A datasource that only references such an entity must not overwrite it.
    /// </summary>
    public IReadOnlySet<string> ForeignEntityTypes { get; init; } = new HashSet<string>();
}
