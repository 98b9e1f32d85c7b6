using System.Collections.Concurrent;

namespace PluginHost.KubeApiSimulator;

/// <summary>Requests served, so tests can assert how many pages a client fetched.</summary>
public sealed class RequestCounters
{
    private readonly ConcurrentDictionary<string, int> _byKind = new(StringComparer.Ordinal);
    private long _listBytes;
    private long _watchBytes;

    /// <summary>Requests for <c>GET /api/v1/nodes</c> without <c>watch</c> (one per page).</summary>
    public int NodeListRequests => Get("list");

    /// <summary>Node list requests that carried a continue token.</summary>
    public int ContinueRequests => Get("continue");

    public int WatchRequests => Get("watch");

    public int VersionRequests => Get("version");

    public int Total => Get("total");

    /// <summary>Response bytes of node lists (every page), as sent.</summary>
    public long ListBytes => Interlocked.Read(ref _listBytes);

    /// <summary>Response bytes of node watches (events, bookmarks), as sent.</summary>
    public long WatchBytes => Interlocked.Read(ref _watchBytes);

    /// <summary>Requests that carried an <c>Authorization</c> header (to prove a client sent none).</summary>
    public int WithAuthorization => Get("authorization");

    /// <summary>The <c>limit</c> of every node list request, in order.</summary>
    public ConcurrentQueue<int?> Limits { get; } = new();

    /// <summary>Every node watch request, in order: what it asked for.</summary>
    public ConcurrentQueue<WatchRequest> Watches { get; } = new();

    internal void Count(string kind) => _byKind.AddOrUpdate(kind, 1, (_, n) => n + 1);

    internal void ListBytesSent(long bytes) => Interlocked.Add(ref _listBytes, bytes);

    internal void WatchBytesSent(long bytes) => Interlocked.Add(ref _watchBytes, bytes);

    private int Get(string kind) => _byKind.GetValueOrDefault(kind);

    public void Reset()
    {
        _byKind.Clear();
        Limits.Clear();
        Watches.Clear();
        Interlocked.Exchange(ref _listBytes, 0);
        Interlocked.Exchange(ref _watchBytes, 0);
    }
}

/// <summary>A watch request's parameters, as sent (empty when absent).</summary>
/// <param name="ResourceVersion">Where the client resumes.</param>
/// <param name="TimeoutSeconds">How long the client asked the stream to last.</param>
/// <param name="AllowWatchBookmarks">Whether it asked for BOOKMARKs.</param>
/// <param name="SendInitialEvents">Whether it was a WatchList (the current nodes first, then the end bookmark).</param>
public sealed record WatchRequest(string ResourceVersion, string TimeoutSeconds, bool AllowWatchBookmarks, bool SendInitialEvents);
