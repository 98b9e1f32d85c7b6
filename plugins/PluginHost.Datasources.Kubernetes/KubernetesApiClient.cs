using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using PluginHost.Contracts;
using PluginHost.Datasources.Kubernetes.Connection;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// The raw HTTP GETs the driver makes, with the connection's credentials, reading bodies with
/// System.Text.Json so a page is parsed once and never held twice. Every read is bounded (a page
/// by <c>max_page_bytes</c>, other bodies smaller), redirects leave the server never (see
/// <see cref="RedirectPolicy"/>), and every failure becomes a <see cref="DatasourceException"/>
/// that names the server and what to do.
/// </summary>
internal sealed class KubernetesApiClient(KubernetesConnection connection, TimeSpan requestTimeout)
{
    /// <summary>/version and other small documents: far above any real one.</summary>
    public const int MaxDocumentBytes = 1 << 20;

    private const int MaxThrottleRetries = 3;
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);

    private readonly Uri _base = connection.Server.AbsoluteUri.EndsWith('/') ? connection.Server : new Uri(connection.Server.AbsoluteUri + "/");

    /// <summary>GETs <paramref name="relativePath"/> and parses the JSON body (at most 1 MiB); the caller disposes the document.</summary>
    public Task<JsonDocument> GetJsonAsync(string relativePath, CancellationToken cancellationToken) =>
        GetAsync(relativePath, MaxDocumentBytes, "no Kubernetes document is that large", async (body, token) =>
        {
            var buffer = new PageBuffer(MaxDocumentBytes, initialBytes: 16 * 1024);
            var length = await buffer.FillAsync(body, token).ConfigureAwait(false);
            return JsonDocument.Parse(buffer.Bytes.AsMemory(0, length));
        }, cancellationToken);

    /// <summary>GETs one page of the node list into <paramref name="buffer"/> (at most its limit).</summary>
    public Task<NodeListPage> GetNodeListPageAsync(string relativePath, PageBuffer buffer, CancellationToken cancellationToken) =>
        GetAsync(relativePath, buffer.MaxBytes, "[kubernetes] max_page_bytes; lower page_size or raise max_page_bytes",
            (body, token) => NodeListPage.ReadAsync(body, buffer, token), cancellationToken);

    private async Task<T> GetAsync<T>(
        string relativePath, long maxBytes, string whyLimited, Func<Stream, CancellationToken, Task<T>> readBody, CancellationToken cancellationToken)
    {
        var reauthenticated = false;
        for (var attempt = 0; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var url = new Uri(_base, relativePath);
            try
            {
                using var response = await SendFollowingRedirectsAsync(url, timeout, cancellationToken).ConfigureAwait(false);
                url = response.RequestMessage?.RequestUri ?? url;
                if (response.StatusCode == HttpStatusCode.Unauthorized && !reauthenticated && connection.Authenticator.Invalidate())
                {
                    reauthenticated = true; // fresh credentials from the exec plugin, once
                    attempt--;
                    continue;
                }

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

                if (response.Content.Headers.ContentLength > maxBytes)
                {
                    throw new PageTooLargeException(maxBytes); // announced: not a byte of it is read
                }

                await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
                return await readBody(body, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new DatasourceException(
                    $"GET {PathOnly(url)} on {connection.SafeServer} timed out after {requestTimeout.TotalSeconds:0} s ([kubernetes] request_timeout)");
            }
            catch (PageTooLargeException e)
            {
                throw new DatasourceException(
                    $"GET {PathOnly(url)} on {connection.SafeServer} returned a body larger than {Mebibytes(e.MaxBytes)} ({whyLimited}); the snapshot is abandoned");
            }
            catch (JsonException e)
            {
                throw new DatasourceException(
                    $"GET {PathOnly(url)} on {connection.SafeServer} returned a body that is not valid JSON (line {e.LineNumber}, byte {e.BytePositionInLine}): is the response truncated or is this not a Kubernetes API server?", e);
            }
            catch (HttpRequestException e) when (Find<TlsVerificationException>(e) is { } tls)
            {
                throw new DatasourceException(
                    $"the TLS certificate of {connection.SafeServer} ({connection.Source}) was refused, nothing was sent to it: {tls.Message}", e);
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

    // The request timer starts once the credentials are there: an exec plugin has its own bound
    // (request_timeout too) and its own message.
    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(Uri url, CancellationTokenSource timeout, CancellationToken cancellationToken)
    {
        for (var hops = 0; ; hops++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            await connection.Authenticator.AuthenticateAsync(request, cancellationToken).ConfigureAwait(false);
            if (hops == 0)
            {
                timeout.CancelAfter(requestTimeout);
            }

            var response = await connection.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!RedirectPolicy.IsRedirect((int)response.StatusCode))
            {
                return response;
            }

            using (response)
            {
                url = RedirectPolicy.Next(url, response.Headers.Location, hops,
                    $"GET {PathOnly(url)} on {connection.SafeServer} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
        }
    }

    // Query strings can hold continue tokens, which are long and useless in a log line.
    private static string PathOnly(Uri url) => url.AbsolutePath;

    private static string Mebibytes(long bytes) => bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : $"{bytes} bytes";

    private static TException? Find<TException>(Exception e)
        where TException : Exception
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is TException found)
            {
                return found;
            }
        }

        return null;
    }

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
