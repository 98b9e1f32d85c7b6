using System.Net;
using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>Turns an API error response into a message that says what the operator must do.</summary>
internal static class KubernetesApiException
{
    public const string RbacHint =
        "the datasource's user needs a ClusterRole with verbs get, list (and watch, for update_method = push) on resource nodes and get on the non-resource URL /version, bound with a ClusterRoleBinding (see the kubernetes plugin README)";

    public static async Task<Exception> FromResponseAsync(
        HttpResponseMessage response, KubernetesConnection connection, string path, CancellationToken cancellationToken)
    {
        var status = await ReadStatusMessageAsync(response, cancellationToken).ConfigureAwait(false);
        var code = (int)response.StatusCode;
        var what = $"GET {path} on {connection.SafeServer} answered {code} {response.ReasonPhrase}";
        var detail = status is null ? string.Empty : $": {status}";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new DatasourceException(
                $"{what}: the credentials of user '{connection.UserName}' in {connection.Source} ({connection.Authenticator.Description}) were rejected; check its token, client certificate or exec plugin"),
            HttpStatusCode.Forbidden => new DatasourceException($"{what}{detail}; {RbacHint}"),
            HttpStatusCode.Gone => new ListExpiredException($"{what}{detail}"),
            _ => new DatasourceException($"{what}{detail}"),
        };
    }

    // A Status body is a few hundred bytes; an error page from a proxy can be anything, so only
    // the first 64 KiB are read, and only a Status message is shown (an HTML page is noise).
    private const int MaxErrorBodyBytes = 64 * 1024;
    private const int MaxShownMessage = 1000;

    public static async Task<string?> ReadStatusMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[MaxErrorBodyBytes];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("message", out var message)
                && message.GetString() is { } text
                ? text.Length > MaxShownMessage ? text[..MaxShownMessage] + "…" : text
                : null;
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException or InvalidOperationException)
        {
            return null; // not JSON, or more than 64 KiB of it: the status code says enough
        }
    }
}

/// <summary>410 Gone: the continue token (or a watch's resourceVersion) expired; the list must start again.</summary>
internal sealed class ListExpiredException(string message) : Exception(message);

/// <summary>The server does not serve WatchList (<c>sendInitialEvents</c>): an older one, or the feature gate off.</summary>
internal sealed class WatchListRefusedException(string message) : Exception(message);
