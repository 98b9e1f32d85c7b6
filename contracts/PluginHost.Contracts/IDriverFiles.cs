namespace PluginHost.Contracts;

/// <summary>
/// (1.4) Optional, on a driver: the local files it read when it was made and does not read again
/// (the Kubernetes plugin: the kubeconfig it found, and the certificate, key and CA files that names).
/// The host notes each one's length and write time when the driver is made; a reload (SIGHUP) that
/// finds one of them edited makes the driver again, as it does when a setting changed, so a renewed
/// certificate is used from the reload on. List only files read once: a file read for every request
/// (a token file) needs no reload, and listing it would make one for every rotation.
/// </summary>
public interface IDriverFiles
{
    /// <summary>Absolute paths; read once, right after the driver was made.</summary>
    IReadOnlyList<string> Files { get; }
}
