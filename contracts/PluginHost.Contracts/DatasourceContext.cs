using Microsoft.Extensions.Logging;

namespace PluginHost.Contracts;

/// <summary>What the host hands a plugin when it creates a driver.</summary>
/// <param name="Name">The datasource name events must carry: the config section
/// (<c>kubernetes</c>), or <c>section/instance</c> for one of several instances.</param>
/// <param name="Settings">The validated config section.</param>
/// <param name="Logger">Logs go to the host's log; never log secrets.</param>
/// <param name="Time">The clock; tests pass a fake one.</param>
public sealed record DatasourceContext(string Name, DatasourceSettings Settings, ILogger Logger, TimeProvider Time)
{
    /// <summary>
    /// The instance this driver serves when the plugin runs several
    /// (<see cref="IDatasourcePlugin.ListInstances"/>, e.g. a Kubernetes context); <c>null</c> when it runs one.
    /// </summary>
    public string? Instance { get; init; }
}
