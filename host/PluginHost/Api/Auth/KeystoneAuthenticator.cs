using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PluginHost.Logging;

namespace PluginHost.Api.Auth;

/// <summary>
/// <c>auth_mode = keystone</c>: a request proves its identity with an <c>X-Auth-Token</c> that
/// Keystone validates (results cached, see <see cref="TokenCache"/>). Identity headers a client
/// sends itself are ignored, as keystonemiddleware overwrites them. No token or an invalid one
/// is a 401 naming Keystone in <c>WWW-Authenticate</c>; Keystone out of reach is a 503.
/// </summary>
internal sealed class KeystoneAuthenticator(KeystoneClient keystone, TokenCache cache, string wwwAuthenticateUri, ILogger logger)
    : IRequestAuthenticator
{
    private string? _lastError;

    public async ValueTask<RequestIdentity> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var token = request.Headers["X-Auth-Token"].ToString();
        if (token.Length == 0)
        {
            throw Unauthorized("The request you have made requires authentication: send a Keystone token in X-Auth-Token.");
        }

        // Keystone's tokens (Fernet, JWS, UUID) are visible ASCII. Anything else cannot be one, and
        // HttpClient refuses to send it on: that failure read as "Keystone could not be reached", a
        // 503 and an error line in the log that any client could cause without a token.
        if (!token.All(c => c is > ' ' and < '\u007f'))
        {
            throw Unauthorized("The X-Auth-Token is not valid (unknown, expired or revoked).");
        }

        RequestIdentity? identity;
        try
        {
            identity = await cache.GetAsync(token, () => keystone.ValidateAsync(token), cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastError, null);
        }
        catch (IdentityServiceUnavailableException e)
        {
            // One line per distinct problem, not one per request.
            if (!string.Equals(Interlocked.Exchange(ref _lastError, e.Message), e.Message, StringComparison.Ordinal))
            {
                logger.LogError("Token validation failed: {Error}", LogText.Escape(e.Message));
            }

            throw new ApiException(StatusCodes.Status503ServiceUnavailable, "The identity service (Keystone) is not available to validate the token; try again later.");
        }

        return identity ?? throw Unauthorized("The X-Auth-Token is not valid (unknown, expired or revoked).");
    }

    private ApiException Unauthorized(string description) => new(StatusCodes.Status401Unauthorized, description)
    {
        Headers = new Dictionary<string, string> { ["WWW-Authenticate"] = $"Keystone uri=\"{wwwAuthenticateUri}\"" },
    };
}
