using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Graph;
using PluginHost.Outputs;

namespace PluginHost.Api.Endpoints;

/// <summary>
/// <c>GET /v1/topology/version/</c> (this host's, not Vitrage's): the published graph version, at
/// once or, with <c>newer_than</c>, as soon as a newer one is published (a long poll, at most
/// <c>wait</c> seconds). The web view refreshes with it; a long poll rather than server-sent
/// events because <c>EventSource</c> cannot send the identity headers or the Keystone token.
/// Each answer names this process (<c>instance</c>); a poll that names another one (its client
/// read its graph from the host before a restart) is answered at once, whatever the numbers.
/// </summary>
internal static class GraphVersionEndpoints
{
    /// <summary>The longest a poll may hold its connection: below the idle timeouts of common proxies.</summary>
    public const int MaxWaitSeconds = 60;

    /// <param name="stopping">Fires when the host stops: a waiting poll answers at once instead of holding the shutdown.</param>
    public static void Map(IEndpointRouteBuilder app, GraphVersionPublisher versions, CancellationToken stopping) =>
        app.MapGet("/v1/topology/version", context => ShowAsync(context, versions, stopping));

    private static async Task ShowAsync(HttpContext context, GraphVersionPublisher versions, CancellationToken stopping)
    {
        var parameters = await RequestParameters.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var newerThan = parameters.GetInt("newer_than", min: 0);
        var wait = parameters.GetInt("wait", min: 0) ?? 0;
        if (wait > MaxWaitSeconds)
        {
            throw ApiException.BadRequest($"Parameter wait = '{wait}': expected at most {MaxWaitSeconds} seconds.");
        }

        var otherInstance = parameters.GetString("instance") is { Length: > 0 } instance && instance != ApiResponses.Instance;
        var version = versions.Current;
        if (newerThan is { } than && version.Number <= than && wait > 0 && !otherInstance)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            deadline.CancelAfter(TimeSpan.FromSeconds(wait));
            try
            {
                version = await versions.WaitForNewerAsync(than, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                version = versions.Current; // the wait is over (or the host stops): the client compares
            }
        }

        ApiResponses.SetVersionHeaders(context, version);
        context.Response.Headers.CacheControl = "no-store";
        await ApiResponses.WriteJsonAsync(context, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", version.Number);
            writer.WriteString("instance", ApiResponses.Instance);
            if (version.Number > 0)
            {
                writer.WriteString("published_at", EventJson.FormatTime(version.PublishedAt));
            }
            else
            {
                writer.WriteNull("published_at");
            }

            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }
}
