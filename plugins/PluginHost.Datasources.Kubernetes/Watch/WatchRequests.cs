using System.Globalization;

namespace PluginHost.Datasources.Kubernetes.Watch;

/// <summary>
/// The watch requests, as client-go's reflector makes them: bookmarks asked for, and a
/// <c>timeoutSeconds</c> picked at random between 300 and 600, so many watchers do not all come
/// back at once; the stream's idle deadline is twice that.
/// </summary>
internal static class WatchRequests
{
    public const int MinTimeoutSeconds = 300;
    public const int MaxTimeoutSeconds = 600;

    /// <summary>A watch from <paramref name="resourceVersion"/> on.</summary>
    public static (string Path, TimeSpan IdleDeadline) From(string resourceVersion)
    {
        var seconds = TimeoutSeconds();
        return ($"api/v1/nodes?watch=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&allowWatchBookmarks=true&timeoutSeconds={Text(seconds)}",
            TimeSpan.FromSeconds(2 * seconds));
    }

    /// <summary>A WatchList: every node as ADDED, the initial-events-end bookmark, then changes.</summary>
    public static (string Path, TimeSpan IdleDeadline) WatchList()
    {
        var seconds = TimeoutSeconds();
        return ($"api/v1/nodes?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds={Text(seconds)}",
            TimeSpan.FromSeconds(2 * seconds));
    }

    private static int TimeoutSeconds() => Random.Shared.Next(MinTimeoutSeconds, MaxTimeoutSeconds + 1);

    private static string Text(int seconds) => seconds.ToString(CultureInfo.InvariantCulture);
}
