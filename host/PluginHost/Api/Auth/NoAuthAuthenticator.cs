using Microsoft.AspNetCore.Http;

namespace PluginHost.Api.Auth;

/// <summary>
/// Vitrage's noauth: the identity is whatever the headers say (<c>X-User-Id</c> or <c>X-User</c>,
/// <c>X-Project-Id</c>, comma-separated <c>X-Roles</c>), as <c>vitrage --os-auth-type
/// vitrage-noauth</c> sends them. Without headers a request is anonymous: no project, no role.
/// </summary>
internal sealed class NoAuthAuthenticator : IRequestAuthenticator
{
    public ValueTask<RequestIdentity> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var headers = request.Headers;
        var user = Header(headers, "X-User") ?? Header(headers, "X-User-Id");
        var roles = (Header(headers, "X-Roles") ?? string.Empty)
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return ValueTask.FromResult(new RequestIdentity(user, Header(headers, "X-Project-Id"), roles));
    }

    private static string? Header(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.ToString() is { Length: > 0 } value ? value : null;
}
