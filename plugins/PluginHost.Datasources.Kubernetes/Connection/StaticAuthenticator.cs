using System.Net.Http.Headers;
using System.Text;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>Credentials fixed for the life of the driver: a bearer token, basic auth, or none at all.</summary>
internal sealed class StaticAuthenticator : IRequestAuthenticator
{
    private readonly AuthenticationHeaderValue? _header;

    private StaticAuthenticator(AuthenticationHeaderValue? header, string description)
    {
        _header = header;
        Description = description;
    }

    /// <summary>
    /// No Authorization header: clusters behind <c>kubectl proxy</c>, an authenticating proxy, or
    /// client certificates alone.
    /// </summary>
    public static StaticAuthenticator None(string description) => new(null, description);

    public static StaticAuthenticator Bearer(string token, string description) => new(new AuthenticationHeaderValue("Bearer", token), description);

    public static StaticAuthenticator Basic(string username, string password) =>
        new(new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"))), "username and password");

    public string Description { get; }

    public ValueTask AuthenticateAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Authorization = _header;
        return ValueTask.CompletedTask;
    }

    public bool Invalidate() => false;

    public void Dispose()
    {
    }
}
