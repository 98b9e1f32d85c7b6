using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using PluginHost.Configuration;

namespace PluginHost.Api.Auth;

/// <summary>
/// Keystone's Identity v3 API, as keystonemiddleware uses it: the service user signs in with its
/// password (<c>POST /v3/auth/tokens</c>, token kept until shortly before it expires) and validates
/// callers' tokens with it (<c>GET /v3/auth/tokens</c>, <c>X-Subject-Token</c>). Every call is
/// bounded by <c>http_connect_timeout</c>; answers are read up to <see cref="MaxResponseBytes"/>.
/// Neither tokens nor the password ever appear in a message.
/// </summary>
internal sealed class KeystoneClient : IDisposable
{
    public const int MaxResponseBytes = 1 << 20;

    // A service token is renewed this long before Keystone says it expires.
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);

    private readonly KeystoneSettings _settings;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _signIn = new(1, 1);
    private (string Token, DateTimeOffset RenewAt)? _serviceToken;

    public KeystoneClient(KeystoneSettings settings, TimeProvider time, HttpMessageHandler? handler = null)
    {
        _settings = settings;
        _time = time;
        _http = new HttpClient(handler ?? CreateHandler(settings), disposeHandler: true)
        {
            BaseAddress = settings.IdentityUri,
            Timeout = settings.Timeout,
            MaxResponseContentBufferSize = MaxResponseBytes,
        };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>Asks Keystone who <paramref name="token"/> is.</summary>
    /// <exception cref="IdentityServiceUnavailableException">Keystone cannot be asked.</exception>
    public async Task<TokenValidation> ValidateAsync(string token)
    {
        for (var attempt = 0; ; attempt++)
        {
            var serviceToken = await ServiceTokenAsync(renew: attempt > 0).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Get, "auth/tokens?nocatalog");
            request.Headers.Add("X-Auth-Token", serviceToken);
            request.Headers.Add("X-Subject-Token", token);
            using var response = await SendAsync(request, "validating a token").ConfigureAwait(false);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    return ReadValidation(await ReadJsonAsync(response).ConfigureAwait(false));
                case HttpStatusCode.NotFound:
                    // Unknown, expired or revoked; keystonemiddleware caches this answer too.
                    return new TokenValidation(null, DateTimeOffset.MaxValue);
                case HttpStatusCode.Unauthorized when attempt == 0:
                    continue; // our service token expired early (a Keystone restart): sign in again, once
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    throw new IdentityServiceUnavailableException(
                        $"Keystone refused to validate tokens for the service user {_settings.Username} (HTTP {(int)response.StatusCode}): it needs the service or admin role");
                default:
                    throw new IdentityServiceUnavailableException($"Keystone answered HTTP {(int)response.StatusCode} when validating a token");
            }
        }
    }

    private async Task<string> ServiceTokenAsync(bool renew)
    {
        await _signIn.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!renew && _serviceToken is { } held && held.RenewAt > _time.GetUtcNow())
            {
                return held.Token;
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, "auth/tokens?nocatalog") { Content = JsonContent(SignInBody()) };
            using var response = await SendAsync(request, "signing in the service user").ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Created && response.StatusCode != HttpStatusCode.OK)
            {
                throw new IdentityServiceUnavailableException(
                    $"Keystone refused the service user {_settings.Username} (domain {_settings.UserDomainName}, project {_settings.ProjectName}) with HTTP {(int)response.StatusCode}: check [keystone_authtoken] username, password, project_name and the domains");
            }

            var token = response.Headers.TryGetValues("X-Subject-Token", out var values) ? values.FirstOrDefault() : null;
            var expires = ReadExpiry(await ReadJsonAsync(response).ConfigureAwait(false));
            if (string.IsNullOrEmpty(token))
            {
                throw new IdentityServiceUnavailableException("Keystone signed the service user in without an X-Subject-Token header");
            }

            var renewAt = expires - RenewBefore;
            _serviceToken = (token, renewAt > _time.GetUtcNow() ? renewAt : expires);
            return token;
        }
        finally
        {
            _signIn.Release();
        }
    }

    private byte[] SignInBody()
    {
        var body = new
        {
            auth = new
            {
                identity = new
                {
                    methods = new[] { "password" },
                    password = new { user = new { name = _settings.Username, domain = new { name = _settings.UserDomainName }, password = _settings.Password } },
                },
                scope = new { project = new { name = _settings.ProjectName, domain = new { name = _settings.ProjectDomainName } } },
            },
        };
        return JsonSerializer.SerializeToUtf8Bytes(body);
    }

    private static ByteArrayContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string what)
    {
        try
        {
            // The client's Timeout bounds the whole call; the answer is read within it (buffered, capped).
            return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
        }
        catch (TaskCanceledException e)
        {
            throw new IdentityServiceUnavailableException(
                $"Keystone at {_settings.IdentityUri} did not answer within {_settings.Timeout.TotalSeconds:0} s ([keystone_authtoken] http_connect_timeout) when {what}", e);
        }
        catch (HttpRequestException e)
        {
            throw new IdentityServiceUnavailableException($"Keystone at {_settings.IdentityUri} could not be reached when {what}: {e.Message}", e);
        }
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new IdentityServiceUnavailableException($"Keystone answered with a body that is not JSON: {e.Message}", e);
        }
    }

    private static TokenValidation ReadValidation(JsonElement body)
    {
        var token = Child(body, "token");
        var roles = Child(token, "roles") is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Select(r => Text(r, "name")).OfType<string>().ToList()
            : [];
        var identity = new RequestIdentity(Text(Child(token, "user"), "id"), Text(Child(token, "project"), "id"), roles);
        return new TokenValidation(identity, ReadExpiry(body));
    }

    private static DateTimeOffset ReadExpiry(JsonElement body) =>
        Text(Child(body, "token"), "expires_at") is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires)
            ? expires
            : throw new IdentityServiceUnavailableException("Keystone answered a token without expires_at");

    private static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;

    private static string? Text(JsonElement element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static SocketsHttpHandler CreateHandler(KeystoneSettings settings)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = settings.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5), // follows DNS changes of the Keystone endpoint
            MaxResponseHeadersLength = 64, // KiB
        };
        if (settings.Insecure)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (settings.CaFile is { } caFile)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                TrustedBy(authorities, certificate, errors);
        }

        return handler;
    }

    // The name must match as always; the chain may end at one of the configured CAs.
    private static bool TrustedBy(X509Certificate2Collection authorities, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    public void Dispose()
    {
        _http.Dispose();
        _signIn.Dispose();
    }
}
