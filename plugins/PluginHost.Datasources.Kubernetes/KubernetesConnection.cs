namespace PluginHost.Datasources.Kubernetes;

/// <summary>An authenticated client and what error messages may say about it (never credentials).</summary>
internal sealed record KubernetesConnection(
    k8s.Kubernetes Client,
    Uri Server,
    string Source,
    string ContextName,
    string UserName,
    string ClusterName) : IDisposable
{
    /// <summary>The server URL without any user-info, safe to log.</summary>
    public string SafeServer => new UriBuilder(Server) { UserName = string.Empty, Password = string.Empty }.Uri.ToString().TrimEnd('/');

    public void Dispose() => Client.Dispose();
}
