using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>
/// Credentials from an exec plugin, cached until their <c>expirationTimestamp</c> (or, without
/// one, until the server answers 401), then fetched again — as client-go does. A credential may
/// carry a token, a client certificate, or both; the certificate is offered by the TLS handshake
/// of the next connection.
/// </summary>
internal sealed class ExecAuthenticator(ExecCredentialPlugin plugin, TimeProvider time) : IRequestAuthenticator
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Cached? _current;

    public string Description => $"exec plugin '{plugin.Command}'";

    /// <summary>The certificate of the current credential, for the TLS client-certificate callback.</summary>
    public X509Certificate2? ClientCertificate => _current?.Certificate;

    public async ValueTask AuthenticateAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var current = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = current.Credential.Token is { } token ? new AuthenticationHeaderValue("Bearer", token) : null;
    }

    public bool Invalidate()
    {
        _current = null;
        return true;
    }

    private async Task<Cached> CurrentAsync(CancellationToken cancellationToken)
    {
        if (Usable(_current) is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Usable(_current) is { } fresh)
            {
                return fresh;
            }

            var credential = await plugin.RunAsync(cancellationToken).ConfigureAwait(false);
            X509Certificate2? certificate;
            try
            {
                certificate = credential.ClientCertificatePem is { } pem ? PemCertificates.FromPem(pem, credential.ClientKeyPem!, Description) : null;
            }
            catch (DatasourceConfigurationException e)
            {
                throw new DatasourceException(e.Message, e); // a bad credential now is a failed snapshot, not bad settings
            }

            _current = new Cached(credential, certificate);
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    private Cached? Usable(Cached? cached) =>
        cached is not null && (cached.Credential.Expiration is not { } expiration || time.GetUtcNow() < expiration) ? cached : null;

    // The previous certificate is not disposed: a connection opened with it may still use it.
    private sealed record Cached(ExecCredential Credential, X509Certificate2? Certificate);

    public void Dispose() => _gate.Dispose();
}
