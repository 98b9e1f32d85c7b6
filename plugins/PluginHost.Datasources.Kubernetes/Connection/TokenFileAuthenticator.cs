using System.Net.Http.Headers;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>
/// <c>tokenFile</c>: the file is read for every request, so a rotated token (projected service
/// account tokens rotate hourly) is used from the next request on.
/// </summary>
internal sealed class TokenFileAuthenticator(string path) : IRequestAuthenticator
{
    // A token is a few KB at most; this bounds what a wrong path (a log file) can cost.
    private const int MaxBytes = 64 * 1024;

    public string Description => $"tokenFile {path}";

    /// <summary>Fails now, as kubectl does, when the file cannot be read (exit 2 at start, not 1 at the first snapshot).</summary>
    public void CheckReadable(string where)
    {
        try
        {
            Read();
        }
        catch (DatasourceException e)
        {
            throw new DatasourceConfigurationException($"{where}: {e.Message}", e);
        }
    }

    public ValueTask AuthenticateAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Read()); // small and local: read synchronously
        return ValueTask.CompletedTask;
    }

    public bool Invalidate() => false; // read again on every request anyway

    private string Read()
    {
        try
        {
            var token = BoundedFile.ReadText(path, MaxBytes)?.Trim()
                ?? throw new DatasourceException($"tokenFile {path} is larger than 64 KiB; is it the right file?");
            return token.Length > 0 ? token : throw new DatasourceException($"tokenFile {path} is empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasourceException($"tokenFile {path} cannot be read: {e.Message}", e);
        }
    }

    public void Dispose()
    {
    }
}
