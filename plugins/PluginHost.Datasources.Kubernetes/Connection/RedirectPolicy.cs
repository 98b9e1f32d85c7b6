using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>
/// Which redirects a request follows: only to the same scheme, host and port (at most ten, as Go
/// allows), because the request carries credentials and a redirect elsewhere — another host, or
/// https to http — would hand them to whoever the server names. kubectl follows those too (and
/// sends its token over plain http to the same host); this plugin refuses and names the target.
/// </summary>
internal static class RedirectPolicy
{
    public const int MaxRedirects = 10;

    public static bool IsRedirect(int status) => status is 301 or 302 or 303 or 307 or 308;

    /// <summary>The URL to request next, or a <see cref="DatasourceException"/> that says why not.</summary>
    public static Uri Next(Uri from, Uri? location, int hops, string what)
    {
        if (location is null)
        {
            throw new DatasourceException($"{what}, a redirect without a Location; is this a Kubernetes API server?");
        }

        var target = location.IsAbsoluteUri ? location : new Uri(from, location);
        if (!SameOrigin(from, target))
        {
            throw new DatasourceException(
                $"{what}, a redirect to {Safe(target)}: not followed, because it leaves {Safe(new Uri(from, "/"))} (another scheme, host or port) and the request carries credentials; point the kubeconfig's server at the API server itself");
        }

        return hops < MaxRedirects
            ? target
            : throw new DatasourceException($"{what}: more than {MaxRedirects} redirects, the last to {Safe(target)}");
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    // Scheme, host, port and path: a query can hold a continue token, user-info a password.
    private static string Safe(Uri url) =>
        new UriBuilder(url) { UserName = string.Empty, Password = string.Empty, Query = string.Empty, Fragment = string.Empty }.Uri.AbsoluteUri;
}
