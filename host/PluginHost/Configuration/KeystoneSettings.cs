namespace PluginHost.Configuration;

/// <summary>
/// How the API validates tokens (<c>[keystone_authtoken]</c>). A record, for the value equality a
/// reload compares; its ToString is written out below, since the generated one would print the password.
/// </summary>
internal sealed record KeystoneSettings
{
    /// <summary>The Identity v3 API root, ending in <c>/v3/</c>.</summary>
    public required Uri IdentityUri { get; init; }

    /// <summary>What a 401 answer's <c>WWW-Authenticate: Keystone uri="..."</c> names.</summary>
    public required string WwwAuthenticateUri { get; init; }

    public required string Username { get; init; }

    /// <summary>Secret: never logged or printed.</summary>
    public required string Password { get; init; }

    public required string ProjectName { get; init; }

    public required string UserDomainName { get; init; }

    public required string ProjectDomainName { get; init; }

    public string? CaFile { get; init; }

    public bool Insecure { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan CacheTime { get; init; } = TimeSpan.FromSeconds(300);

    public override string ToString() => $"Keystone {IdentityUri} as {Username}@{UserDomainName} (project {ProjectName})";
}
