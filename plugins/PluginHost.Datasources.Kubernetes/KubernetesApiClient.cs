using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// The raw HTTP calls the driver makes, through KubernetesClient's authenticated HttpClient
/// (its TLS, CA, client certificate and credential refresh), reading bodies with System.Text.Json
/// instead of its typed models so a page is parsed once and never held twice. Every failure
/// becomes a <see cref="DatasourceException"/> that names the server and what to do.
/// </summary>
internal sealed class KubernetesApiClient(KubernetesConnection connection, TimeSpan requestTimeout)
{
    private const int MaxThrottleRetries = 3;
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);

    private readonly Uri _base = connection.Server.AbsoluteUri.EndsWith('/') ? connection.Server : new Uri(connection.Server.AbsoluteUri + "/");

    /// <summary>GETs <paramref name="relativePath"/> and parses the JSON body; the caller disposes the document.</summary>
    public Task<JsonDocument> GetJsonAsync(string relativePath, CancellationToken cancellationToken) =>
        GetAsync(relativePath, (body, token) => JsonDocument.ParseAsync(body, default, token), cancellationToken);

    /// <summary>GETs one page of the node list into <paramref name="buffer"/>.</summary>
    public Task<NodeListPage> GetNodeListPageAsync(string relativePath, PageBuffer buffer, CancellationToken cancellationToken) =>
        GetAsync(relativePath, (body, token) => NodeListPage.ReadAsync(body, buffer, token), cancellationToken);

    private async Task<T> GetAsync<T>(string relativePath, Func<Stream, CancellationToken, Task<T>> readBody, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(requestTimeout);
            var url = new Uri(_base, relativePath);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (connection.Client.Credentials is { } credentials)
                {
                    await credentials.ProcessHttpRequestAsync(request, timeout.Token).ConfigureAwait(false);
                }

                using var response = await connection.Client.HttpClient
                    .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < MaxThrottleRetries)
                {
                    var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                    await Task.Delay(wait > MaxRetryAfter ? MaxRetryAfter : wait, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw await KubernetesApiException.FromResponseAsync(response, connection, PathOnly(url), timeout.Token).ConfigureAwait(false);
                }

                await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
                return await readBody(body, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new DatasourceException(
                    $"GET {PathOnly(url)} on {connection.SafeServer} timed out after {requestTimeout.TotalSeconds:0} s ([kubernetes] request_timeout)");
            }
            catch (JsonException e)
            {
                throw new DatasourceException(
                    $"GET {PathOnly(url)} on {connection.SafeServer} returned a body that is not valid JSON (line {e.LineNumber}, byte {e.BytePositionInLine}): is the response truncated or is this not a Kubernetes API server?", e);
            }
            catch (HttpRequestException e)
            {
                throw new DatasourceException(
                    $"cannot reach the Kubernetes API at {connection.SafeServer} ({connection.Source}): {Innermost(e)}", e);
            }
            catch (IOException e)
            {
                throw new DatasourceException(
                    $"the connection to {connection.SafeServer} broke while reading GET {PathOnly(url)}: {Innermost(e)}", e);
            }
        }
    }

    // Query strings can hold continue tokens, which are long and useless in a log line.
    private static string PathOnly(Uri url) => url.AbsolutePath;

    private static string Innermost(Exception e)
    {
        var messages = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (!messages.Contains(current.Message))
            {
                messages.Add(current.Message);
            }
        }

        return string.Join(": ", messages);
    }
}
