using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>
/// The HTTP stack of one connection, built here rather than by KubernetesClient because kubectl's
/// rules need it: our own server-certificate check (host name included), no automatic redirects
/// (the API client decides which to follow, see <see cref="RedirectPolicy"/>), the kubeconfig's
/// <c>proxy-url</c>, and bounded headers. Timeouts are per request, set by the caller.
/// </summary>
internal static class KubernetesHttpClientFactory
{
    public static HttpClient Create(
        ServerCertificateVerifier verifier, Func<X509Certificate2?> clientCertificate, Uri? proxy, TimeSpan connectTimeout)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None, // bounds apply to the bytes read
            UseCookies = false,
            ConnectTimeout = connectTimeout,

            // New connections now and then pick up DNS changes and a rotated exec client certificate.
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            MaxResponseHeadersLength = 64, // KiB
        };
        handler.SslOptions.RemoteCertificateValidationCallback = verifier.Validate;
        handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate()!;
        if (proxy is not null)
        {
            handler.Proxy = new WebProxy(proxy);
            handler.UseProxy = true;
        }

        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
