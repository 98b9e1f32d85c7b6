using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace PluginHost.Api.Auth;

/// <summary>
/// Validation results by token, each kept until the token expires but never longer than
/// <c>token_cache_time</c> (keystonemiddleware's rule: a revoked token stops working by then).
/// Tokens are keyed by their SHA-256, so the cache holds no token. Concurrent requests with the
/// same unknown token share one Keystone call. At most <see cref="Capacity"/> entries.
/// </summary>
internal sealed class TokenCache(TimeProvider time, TimeSpan cacheTime)
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<TokenValidation>>> _inFlight = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>The identity of <paramref name="token"/>, from the cache or from <paramref name="validate"/>; <c>null</c> for an invalid token.</summary>
    /// <exception cref="IdentityServiceUnavailableException">From <paramref name="validate"/>; failures are not cached.</exception>
    public async Task<RequestIdentity?> GetAsync(string token, Func<Task<TokenValidation>> validate, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        if (_entries.TryGetValue(key, out var cached) && cached.Until > time.GetUtcNow())
        {
            return cached.Identity;
        }

        // Lazy: GetOrAdd may build a value it then drops; only the stored one may call Keystone.
        var call = _inFlight.GetOrAdd(key, k => new Lazy<Task<TokenValidation>>(() => ValidateAndStoreAsync(k, validate)));
        var result = await call.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        return result.Identity;
    }

    private async Task<TokenValidation> ValidateAndStoreAsync(string key, Func<Task<TokenValidation>> validate)
    {
        try
        {
            var result = await validate().ConfigureAwait(false);
            var now = time.GetUtcNow();
            var until = now + cacheTime < result.ExpiresAt ? now + cacheTime : result.ExpiresAt;
            if (until > now)
            {
                MakeRoom(now);
                _entries[key] = new Entry(result.Identity, until);
            }

            return result;
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    private void MakeRoom(DateTimeOffset now)
    {
        if (_entries.Count < Capacity)
        {
            return;
        }

        foreach (var (key, entry) in _entries)
        {
            if (entry.Until <= now)
            {
                _entries.TryRemove(key, out _);
            }
        }

        if (_entries.Count >= Capacity)
        {
            _entries.Clear(); // a flood of distinct tokens; the next requests simply ask Keystone again
        }
    }

    private sealed record Entry(RequestIdentity? Identity, DateTimeOffset Until);
}
