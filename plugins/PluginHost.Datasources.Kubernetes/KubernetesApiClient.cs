using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using PluginHost.Contracts;
using PluginHost.Datasources.Kubernetes.Connection;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// The raw HTTP GETs the driver makes, with the connection's credentials, reading bodies with
/// System.Text.Json so a page is parsed once and never held twice. Every read is bounded (a page
/// by <c>max_page_bytes</c>, other bodies smaller; a watch stream by its reader), redirects leave
/// the server never (see <see cref="RedirectPolicy"/>), and every failure becomes a
/// <see cref="DatasourceException"/> that names the server and what to do.
/// </summary>
internal sealed class KubernetesApiClient(KubernetesConnection connection, TimeSpan requestTimeout)
{
    /// <summary>/version and other small documents: far above any real one.</summary>
    public const int MaxDocumentBytes = 1 << 20;

    private const int MaxThrottleRetries = 3;
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);

    private readonly Uri _base = connection.Server.AbsoluteUri.EndsWith('/') ? connection.Server : new Uri(connection.Server.AbsoluteUri + "/");

    public KubernetesConnection Connection => connection;

    /// <summary>The last complete node read's version: what tells an etcd restore (the client is one per driver).</summary>
    public ListVersions ListVersions { get; } = new();

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

    /// <summary>
    /// Opens a watch: returns the response once its headers are there (within <c>request_timeout</c>);
    /// the caller reads and disposes it. A 410 throws <see cref="ListExpiredException"/>; a 400 or
    /// 422 of a WatchList request (<paramref name="watchList"/>) throws
    /// <see cref="WatchListRefusedException"/>, as a server that does not serve WatchList answers.
    /// </summary>
    public async Task<HttpResponseMessage> OpenWatchAsync(string relativePath, bool watchList, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var url = new Uri(_base, relativePath);
        try
        {
            var response = await SendAsync(url, timeout, retryThrottled: false, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return response; // from here the stream has no request_timeout: the reader's idle deadline bounds it
            }

            using (response)
            {
                url = response.RequestMessage?.RequestUri ?? url;
                if (watchList && response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity)
                {
                    var status = await KubernetesApiException.ReadStatusMessageAsync(response, timeout.Token).ConfigureAwait(false);
                    throw new WatchListRefusedException(
                        $"GET {PathOnly(url)} on {connection.SafeServer} answered {(int)response.StatusCode} {response.ReasonPhrase}{(status is null ? string.Empty : ": " + status)}");
                }

                throw await KubernetesApiException.FromResponseAsync(response, connection, PathOnly(url), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (Translate(e, url, cancellationToken, whyLimited: string.Empty) is { } translated)
        {
            throw translated;
        }
    }

    private async Task<T> GetAsync<T>(
        string relativePath, long maxBytes, string whyLimited, Func<Stream, CancellationToken, Task<T>> readBody, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var url = new Uri(_base, relativePath);
        try
        {
            using var response = await SendAsync(url, timeout, retryThrottled: true, cancellationToken).ConfigureAwait(false);
            url = response.RequestMessage?.RequestUri ?? url;
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
        catch (Exception e) when (Translate(e, url, cancellationToken, whyLimited) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// One GET, answered: the credentials on it, redirects followed as <see cref="RedirectPolicy"/>
    /// allows, fresh credentials once after a 401, and (when <paramref name="retryThrottled"/>) a 429
    /// waited out three times. The response may be an error; the caller disposes it.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(Uri url, CancellationTokenSource timeout, bool retryThrottled, CancellationToken cancellationToken)
    {
        var reauthenticated = false;
        for (var attempt = 0; ; attempt++)
        {
            var response = await SendFollowingRedirectsAsync(url, timeout, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized && !reauthenticated && connection.Authenticator.Invalidate())
            {
                response.Dispose();
                reauthenticated = true; // fresh credentials from the exec plugin, once
                attempt--;
                continue;
            }

            if (retryThrottled && response.StatusCode == HttpStatusCode.TooManyRequests && attempt < MaxThrottleRetries)
            {
                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                response.Dispose();

                // The wait is the server's, not the request's: request_timeout starts again with the next
                // attempt. Left running, a Retry-After longer than what remained of it cancelled the next
                // attempt at once, reported as "timed out" instead of waited out.
                timeout.CancelAfter(Timeout.InfiniteTimeSpan);
                await Task.Delay(wait > MaxRetryAfter ? MaxRetryAfter : wait, cancellationToken).ConfigureAwait(false);
                continue;
            }

            return response;
        }
    }

    // Every way a request fails, as one message that names the server and what to do; null for
    // what is not a failure of the request (the caller's own cancellation, a message already made).
    private DatasourceException? Translate(Exception e, Uri url, CancellationToken cancellationToken, string whyLimited) => e switch
    {
        DatasourceException or ListExpiredException or WatchListRefusedException => null,
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        OperationCanceledException => new DatasourceException(
            $"GET {PathOnly(url)} on {connection.SafeServer} timed out after {requestTimeout.TotalSeconds:0} s ([kubernetes] request_timeout)"),
        PageTooLargeException tooLarge => new DatasourceException(
            $"GET {PathOnly(url)} on {connection.SafeServer} returned a body larger than {Mebibytes(tooLarge.MaxBytes)} ({whyLimited}); the snapshot is abandoned"),
        JsonException json => new DatasourceException(
            $"GET {PathOnly(url)} on {connection.SafeServer} returned a body that is not valid JSON (line {json.LineNumber}, byte {json.BytePositionInLine}): is the response truncated or is this not a Kubernetes API server?", e),
        HttpRequestException when Find<TlsVerificationException>(e) is { } tls => new DatasourceException(
            $"the TLS certificate of {connection.SafeServer} ({connection.Source}) was refused, nothing was sent to it: {tls.Message}", e),
        HttpRequestException => new DatasourceException(
            $"cannot reach the Kubernetes API at {connection.SafeServer} ({connection.Source}): {Innermost(e)}", e),
        IOException => new DatasourceException(
            $"the connection to {connection.SafeServer} broke while reading GET {PathOnly(url)}: {Innermost(e)}", e),
        _ => null,
    };

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

    /// <summary>The messages of <paramref name="e"/> and its inner exceptions, each once.</summary>
    public static string Innermost(Exception e)
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
