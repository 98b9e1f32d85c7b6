namespace PluginHost.Api.Auth;

/// <summary>Who sent a request: from noauth headers or a validated Keystone token.</summary>
internal sealed record RequestIdentity(string? UserId, string? ProjectId, IReadOnlyList<string> Roles)
{
    public static RequestIdentity Anonymous { get; } = new(null, null, []);

    /// <summary>Vitrage's policy rule <c>role:admin</c> (oslo.policy compares role names case-insensitively).</summary>
    public bool IsAdmin => Roles.Any(r => string.Equals(r, "admin", StringComparison.OrdinalIgnoreCase));
}
