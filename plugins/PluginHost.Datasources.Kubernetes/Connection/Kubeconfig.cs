namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>
/// A kubeconfig as kubectl sees it after reading (and, for several files, merging): named
/// clusters, users and contexts, each remembering the file that held it. Paths in it are
/// absolute (resolved against that file's folder when read).
/// </summary>
internal sealed record Kubeconfig(
    IReadOnlyList<KubeCluster> Clusters,
    IReadOnlyList<KubeUser> Users,
    IReadOnlyList<KubeContext> Contexts,
    string? CurrentContext)
{
    public static Kubeconfig Empty { get; } = new([], [], [], null);

    public bool IsEmpty => Clusters.Count == 0 && Contexts.Count == 0;
}

/// <summary>Where an entry of a kubeconfig was written.</summary>
internal sealed record KubeconfigOrigin(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>A <c>clusters[]</c> entry.</summary>
internal sealed record KubeCluster(string Name, KubeconfigOrigin Origin)
{
    public string? Server { get; init; }

    /// <summary><c>certificate-authority</c>, absolute.</summary>
    public string? CertificateAuthority { get; init; }

    /// <summary><c>certificate-authority-data</c>, base64-decoded (PEM).</summary>
    public byte[]? CertificateAuthorityData { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    public string? TlsServerName { get; init; }

    public string? ProxyUrl { get; init; }
}

/// <summary>A <c>contexts[]</c> entry; <see cref="User"/> is null when the context names none.</summary>
internal sealed record KubeContext(string Name, KubeconfigOrigin Origin, string Cluster, string? User);

/// <summary>
/// A <c>users[]</c> entry. A class, not a record: a record's generated ToString would print the
/// token and password into any log line that mentions a user.
/// </summary>
internal sealed class KubeUser(string name, KubeconfigOrigin origin)
{
    public string Name { get; } = name;

    public KubeconfigOrigin Origin { get; } = origin;

    public string? Token { get; init; }

    /// <summary><c>tokenFile</c>, absolute.</summary>
    public string? TokenFile { get; init; }

    /// <summary><c>client-certificate</c>, absolute.</summary>
    public string? ClientCertificate { get; init; }

    public byte[]? ClientCertificateData { get; init; }

    /// <summary><c>client-key</c>, absolute.</summary>
    public string? ClientKey { get; init; }

    public byte[]? ClientKeyData { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public ExecConfig? Exec { get; init; }

    public AuthProviderConfig? AuthProvider { get; init; }

    /// <summary><c>as</c>: the user to impersonate.</summary>
    public string? Impersonate { get; init; }

    /// <summary><c>as-groups</c>.</summary>
    public IReadOnlyList<string> ImpersonateGroups { get; init; } = [];

    public bool HasClientCertificate =>
        ClientCertificate is not null || ClientCertificateData is not null || ClientKey is not null || ClientKeyData is not null;

    public override string ToString() => $"user '{Name}' ({Origin})";
}

/// <summary><c>user.exec</c>: a client-go credential plugin. A class: its env can hold secrets.</summary>
internal sealed class ExecConfig
{
    public required string Command { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    public required string ApiVersion { get; init; }

    public string? InstallHint { get; init; }

    public bool ProvideClusterInfo { get; init; }

    /// <summary><c>Never</c>, <c>IfAvailable</c>, <c>Always</c>, or null when not set.</summary>
    public string? InteractiveMode { get; init; }

    public override string ToString() => $"exec plugin '{Command}'";
}

/// <summary><c>user.auth-provider</c>. A class: its config holds tokens.</summary>
internal sealed class AuthProviderConfig(string name, IReadOnlyDictionary<string, string> config)
{
    public string Name { get; } = name;

    public IReadOnlyDictionary<string, string> Config { get; } = config;

    public override string ToString() => $"auth-provider '{Name}'";
}
