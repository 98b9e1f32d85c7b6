namespace PluginHost.Api.Auth;

/// <summary>What Keystone said of a token: who it is (<c>null</c>: not a valid token) and until when.</summary>
internal sealed record TokenValidation(RequestIdentity? Identity, DateTimeOffset ExpiresAt);

/// <summary>Keystone could not be asked (unreachable, too slow, refusing the service user); the message is for the log and secret-free.</summary>
internal sealed class IdentityServiceUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
