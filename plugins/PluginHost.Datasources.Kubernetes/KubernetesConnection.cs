using System.Security.Cryptography.X509Certificates;
using PluginHost.Datasources.Kubernetes.Connection;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// An HTTP client for one API server, the user's credentials, and what messages may say about
/// them (never the credentials themselves).
/// </summary>
internal sealed class KubernetesConnection(
    Func<HttpClient> createHttp, IRequestAuthenticator authenticator, Uri server, string source, string contextName, string userName, string clusterName)
    : IDisposable
{
    // Made on the first request, not with the driver: check-config creates drivers only to check
    // their settings, and building the HTTP stack (System.Net.Http and its TLS parts) was about 6 ms
    // of a check that takes 0.2 s.
    private readonly Lazy<HttpClient> _http = new(createHttp);

    public HttpClient Http => _http.Value;

    public IRequestAuthenticator Authenticator { get; } = authenticator;

    public Uri Server { get; } = server;

    /// <summary>How messages name the configuration: "kubeconfig /path" or "in-cluster service account".</summary>
    public string Source { get; } = source;

    public string ContextName { get; } = contextName;

    public string UserName { get; } = userName;

    public string ClusterName { get; } = clusterName;

    /// <summary>Said once when the driver starts (insecure TLS, a missing user, an ignored exec plugin).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// The files read to make this connection and not read again: the kubeconfig files and the
    /// certificate-authority, client-certificate and client-key files they name (a tokenFile is
    /// read for every request, so it is not among them).
    /// </summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>The kubeconfig's client certificate, disposed with the connection.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The server URL without any user-info, safe to log.</summary>
    public string SafeServer => KubeconfigTarget.WithoutUserInfo(Server);

    public void Dispose()
    {
        if (_http.IsValueCreated)
        {
            _http.Value.Dispose();
        }

        Authenticator.Dispose();
        ClientCertificate?.Dispose();
    }
}
