namespace PluginHost.Configuration;

/// <summary>The REST API's validated settings (<c>[api]</c>).</summary>
internal sealed record ApiSettings
{
    public bool Enabled { get; init; } = true;

    /// <summary>An IP address literal or <c>localhost</c>.</summary>
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 8999;

    /// <summary>With <see cref="KeyFile"/>: serve HTTPS.</summary>
    public string? CertFile { get; init; }

    public string? KeyFile { get; init; }

    public ApiAuthMode AuthMode { get; init; } = ApiAuthMode.NoAuth;

    /// <summary>Host header names served besides localhost and IP addresses (<c>*</c>: any). A list, so
    /// compared apart from the rest of the record (whose equality would compare its reference).</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>Set when <see cref="AuthMode"/> is <see cref="ApiAuthMode.Keystone"/>.</summary>
    public KeystoneSettings? Keystone { get; init; }
}

internal enum ApiAuthMode
{
    NoAuth,
    Keystone,
}
