using Microsoft.AspNetCore.Http;
using PluginHost.Api.Auth;

namespace PluginHost.Api;

/// <summary>Per-request state the API middleware sets: who is asking.</summary>
internal static class ApiRequest
{
    private static readonly object IdentityKey = new();

    public static void SetIdentity(HttpContext context, RequestIdentity identity) => context.Items[IdentityKey] = identity;

    /// <summary>The authenticated caller; anonymous outside <c>/v1</c>.</summary>
    public static RequestIdentity Identity(HttpContext context) =>
        context.Items.TryGetValue(IdentityKey, out var identity) && identity is RequestIdentity known ? known : RequestIdentity.Anonymous;
}
