using PluginHost.Contracts;
using PluginHost.Plugins;

namespace PluginHost.Configuration;

/// <summary>
/// One enabled datasource (or one instance of a plugin that runs several, e.g. one per Kubernetes
/// context): its plugin and its validated section.
/// </summary>
internal sealed record DatasourceConfiguration(
    LoadedPlugin Plugin,
    DatasourceSettings Settings,
    TimeSpan SnapshotsInterval,
    UpdateMethod UpdateMethod,
    TimeSpan ChangesInterval)
{
    /// <summary>The instance name (<c>IDatasourcePlugin.ListInstances</c>); <c>null</c> for a single one.</summary>
    public string? Instance { get; init; }

    /// <summary>The datasource name: the section, or <c>section/instance</c>.</summary>
    public string Name => Instance is null ? Plugin.Name : $"{Plugin.Name}/{Instance}";

    /// <summary>The raw values of the section, to tell whether a reload changed anything.</summary>
    public IReadOnlyDictionary<string, object?> Values { get; init; } = new Dictionary<string, object?>();

    /// <summary>
    /// The files the section's path options name (option → stamp, null when there is no such file):
    /// a file edited in place is a changed setting for a reload, as a changed value is.
    /// </summary>
    public IReadOnlyDictionary<string, FileStamp?> Files { get; init; } = new Dictionary<string, FileStamp?>();

    /// <summary>
    /// The files the running driver read once when it was made (<see cref="Contracts.IDriverFiles"/>:
    /// a kubeconfig's certificate, key and CA files, the kubeconfig found through <c>$KUBECONFIG</c>),
    /// path → stamp then; set by the scheduler when it made the driver, empty in a configuration
    /// just read. A reload that finds one edited makes the driver again.
    /// </summary>
    public IReadOnlyDictionary<string, FileStamp?> DriverFiles { get; init; } = new Dictionary<string, FileStamp?>();
}
