using System.Globalization;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// Ends a node list that would never end. A continue token the server already gave is paging
/// that does not advance; more pages than the server announced (ceil(nodes / page_size) from its
/// first <c>remainingItemCount</c>, plus <see cref="SlackPages"/> for nodes added meanwhile) is a
/// server handing out new tokens for ever. Without <c>remainingItemCount</c> the snapshot's own
/// deadline (<c>snapshot_timeout</c>) is what ends it. kubectl has neither and loops.
/// </summary>
internal sealed class PagingGuard(int pageSize, string server)
{
    public const int SlackPages = 10;

    private readonly HashSet<string> _tokens = new(StringComparer.Ordinal);
    private long? _maxPages;

    public int Pages { get; private set; }

    /// <summary>Checks the page just read; throws a <see cref="DatasourceException"/> when paging must stop.</summary>
    public void OnPage(int items, string? continueToken, long? remainingItemCount)
    {
        Pages++;
        if (_maxPages is null && remainingItemCount is { } remaining && remaining >= 0)
        {
            var expected = ((long)(Pages - 1) * pageSize) + items + remaining;
            _maxPages = ((expected + pageSize - 1) / pageSize) + SlackPages;
        }

        if (continueToken is null)
        {
            return;
        }

        if (!_tokens.Add(continueToken))
        {
            throw new DatasourceException(string.Create(CultureInfo.InvariantCulture,
                $"GET /api/v1/nodes on {server}: page {Pages} returned a continue token an earlier page already returned, so the list would never end; the snapshot is abandoned (is a proxy caching the API?)"));
        }

        if (Pages >= _maxPages)
        {
            throw new DatasourceException(string.Create(CultureInfo.InvariantCulture,
                $"GET /api/v1/nodes on {server}: still paging after {Pages} pages of {pageSize}, though the first page announced {(_maxPages - SlackPages) * pageSize} nodes at most; the snapshot is abandoned"));
        }
    }

    /// <summary>The list starts again (after 410 Gone).</summary>
    public void Reset()
    {
        _tokens.Clear();
        _maxPages = null;
        Pages = 0;
    }
}
