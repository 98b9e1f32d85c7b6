namespace PluginHost.KubeApiSimulator;

/// <summary>What the simulated cluster looks like and how it is reached.</summary>
public sealed record SimulatorOptions
{
    /// <summary>Generated nodes (besides fixture nodes).</summary>
    public int NodeCount { get; init; } = 10;

    /// <summary>Same seed, same nodes (names, uids, addresses, states).</summary>
    public int Seed { get; init; } = 42;

    public ProviderMode Provider { get; init; } = ProviderMode.Mixed;

    /// <summary>Also set the deprecated <c>spec.externalID</c> (instance id on clouds, else the name).</summary>
    public bool LegacyExternalId { get; init; }

    /// <summary>Serve the node from OpenStack Vitrage's Kubernetes spec (<c>bcmt-control-01</c>).</summary>
    public bool IncludeVitrageSpecNode { get; init; }

    /// <summary>A YAML or JSON file with a NodeList, a list of nodes or one node, served as-is.</summary>
    public string? FixtureFile { get; init; }

    public bool Https { get; init; }

    public SimulatorAuth Auth { get; init; } = SimulatorAuth.None;

    /// <summary>The bearer token clients must send when <see cref="Auth"/> is <see cref="SimulatorAuth.Token"/>.</summary>
    public string Token { get; init; } = "simulator-token";

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    public string ClusterName { get; init; } = "sim-cluster";

    public string ContextName { get; init; } = "sim";

    public string UserName { get; init; } = "sim-admin";

    /// <summary>Reported by <c>/version</c>.</summary>
    public string KubernetesVersion { get; init; } = "v1.31.2";

    /// <summary>How many watch events are kept; watching from an older resourceVersion gets 410.</summary>
    public int WatchHistory { get; init; } = 10_000;

    /// <summary>How often a watch with <c>allowWatchBookmarks=true</c> gets a BOOKMARK when nothing changed.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Serve WatchList (<c>sendInitialEvents=true</c>, Kubernetes 1.34's default); <c>false</c>
    /// refuses it with 422 as an older API server or one with the WatchList gate off does.
    /// </summary>
    public bool WatchList { get; init; } = true;

    /// <summary>
    /// The longest a watch stream lasts, whatever its <c>timeoutSeconds</c> (a real API server
    /// ends watches on its own too); <c>null</c>: only <c>timeoutSeconds</c> (default 30 min) ends one.
    /// </summary>
    public TimeSpan? MaxWatchDuration { get; init; }

    /// <summary>
    /// The host names and IP addresses the server certificate is valid for (HTTPS). Anything but
    /// the loopback names makes a certificate a strict client must refuse for <c>127.0.0.1</c>.
    /// </summary>
    public IReadOnlyList<string> ServerCertificateNames { get; init; } = ["127.0.0.1", "::1", "localhost"];

    /// <summary>
    /// Also serve three nodes a client must skip: one whose JSON is not valid UTF-8, one without
    /// <c>metadata.uid</c> and one repeating the uid of another node.
    /// </summary>
    public bool InvalidNodes { get; init; }

    /// <summary>Expose the <c>/_sim</c> admin endpoints (add/delete/modify nodes, faults, counters).</summary>
    public bool AdminEndpoints { get; init; } = true;
}
