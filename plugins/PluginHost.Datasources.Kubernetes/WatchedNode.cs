using System.Globalization;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// What a list or a watch needs to remember of a node: its identity, its version, and what links
/// the cluster to its cloud instance (for the cluster event). Not the node itself.
/// </summary>
internal sealed record WatchedNode(string Uid, string Name, string ResourceVersion, NodeIdentity? Identity)
{
    /// <summary>The node <paramref name="header"/> was read from, or null when it has no uid.</summary>
    public static WatchedNode? From(NodeHeader header) =>
        header.Uid is { Length: > 0 } uid
            ? new WatchedNode(uid, header.Name ?? uid, header.ResourceVersion ?? string.Empty, NodeIdentity.From(header))
            : null;

    /// <summary>
    /// The version as a number, or null. Kubernetes calls versions opaque, but every API server
    /// backed by etcd gives integers that grow (client-go compares them since 1.33); where they are
    /// not integers, the resync's comparison with the watch is simply skipped.
    /// </summary>
    public ulong? Version => ParseVersion(ResourceVersion);

    public static ulong? ParseVersion(string? resourceVersion) =>
        ulong.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;
}

/// <summary>What the cluster event needs of a node to link the cluster to the node's cloud instance.</summary>
internal sealed record NodeIdentity(string? ProviderId, string? ExternalId, string? SystemUuid)
{
    /// <summary>The identity of a node, or null when it has neither providerID nor externalID.</summary>
    public static NodeIdentity? From(NodeHeader header) =>
        header.ProviderId is null && header.ExternalId is null ? null : new NodeIdentity(header.ProviderId, header.ExternalId, header.SystemUuid);
}

/// <summary>
/// What a complete list (or WatchList) saw: every node kept and the versions a watch goes on from
/// (the first page's; a real server gives every page the same one, a paging simulator may not).
/// </summary>
internal sealed class ListedNodes
{
    public List<WatchedNode> Nodes { get; } = [];

    /// <summary>The list's resourceVersion: a watch continues from here.</summary>
    public string? ResourceVersion { get; set; }

    /// <summary>The last page's resourceVersion (the same on a real server).</summary>
    public string? LastResourceVersion { get; set; }

    /// <summary>
    /// A WatchList whose end bookmark showed an etcd restore, after its nodes went out with their
    /// versions: <see cref="Watch.CompleteRead"/> lists again at once, every node in full.
    /// </summary>
    public bool RestoreSeenAtEnd { get; set; }
}
