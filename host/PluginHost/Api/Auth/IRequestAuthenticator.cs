using Microsoft.AspNetCore.Http;

namespace PluginHost.Api.Auth;

/// <summary>Tells who sent a <c>/v1</c> request (<c>[api] auth_mode</c>).</summary>
internal interface IRequestAuthenticator
{
    /// <exception cref="ApiException">401 when the request does not prove an identity; 503 when the identity service cannot be asked.</exception>
    ValueTask<RequestIdentity> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken);
}
