using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PluginHost.KubeApiSimulator;

/// <summary>Routes every request: admin, authentication, faults, then the Kubernetes API.</summary>
internal sealed class SimulatorEndpoints(KubeApiSimulator simulator)
{
    private readonly NodeEndpoints _nodes = new(simulator);
    private readonly AdminEndpoints _admin = new(simulator);

    public void Map(WebApplication app) => app.Run(HandleAsync);

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith("/_sim/", StringComparison.Ordinal) && simulator.Options.AdminEndpoints)
        {
            await _admin.HandleAsync(context, path).ConfigureAwait(false);
            return;
        }

        CountRequest(context, path);
        if (!await IsAuthenticatedAsync(context).ConfigureAwait(false))
        {
            await StatusResponses.UnauthorizedAsync(context).ConfigureAwait(false);
            return;
        }

        var fault = simulator.Faults.Match(path, context.Request.Query.ContainsKey("continue"), NodeEndpoints.IsWatch(context.Request.Query));
        if (fault is not null && await ApplyStatusFaultAsync(context, fault).ConfigureAwait(false))
        {
            return;
        }

        context.Response.ContentType = "application/json";
        switch (path.TrimEnd('/'))
        {
            case "/version":
                await context.Response.WriteAsJsonAsync(DiscoveryDocuments.Version(simulator.Options)).ConfigureAwait(false);
                return;
            case "/api":
                await context.Response.WriteAsJsonAsync(DiscoveryDocuments.ApiVersions(simulator.BaseUrl)).ConfigureAwait(false);
                return;
            case "/api/v1":
                await context.Response.WriteAsJsonAsync(DiscoveryDocuments.CoreResources()).ConfigureAwait(false);
                return;
            case "/apis":
                await context.Response.WriteAsJsonAsync(DiscoveryDocuments.ApiGroups()).ConfigureAwait(false);
                return;
            case "/api/v1/nodes":
                // What a client costs the API server: the bytes of its lists and of its watches.
                var counters = simulator.Counters;
                context.Response.Body = NodeEndpoints.IsWatch(context.Request.Query)
                    ? new CountingResponseBody(context.Response.Body, counters.WatchBytesSent)
                    : new CountingResponseBody(context.Response.Body, counters.ListBytesSent);
                await _nodes.ListOrWatchAsync(context, fault).ConfigureAwait(false);
                return;
        }

        if (path.StartsWith("/apis/", StringComparison.Ordinal) && DiscoveryDocuments.GroupResources(path["/apis/".Length..].TrimEnd('/')) is { } resources)
        {
            await context.Response.WriteAsJsonAsync(resources).ConfigureAwait(false);
            return;
        }

        if (path.StartsWith("/api/v1/nodes/", StringComparison.Ordinal))
        {
            await _nodes.GetAsync(context, Uri.UnescapeDataString(path["/api/v1/nodes/".Length..]), fault).ConfigureAwait(false);
            return;
        }

        await StatusResponses.NotFoundAsync(context, "the server could not find the requested resource").ConfigureAwait(false);
    }

    // Counted before auth and faults: a test asks how many requests a client made, failed or not.
    private void CountRequest(HttpContext context, string path)
    {
        var counters = simulator.Counters;
        counters.Count("total");
        if (context.Request.Headers.Authorization.Count > 0)
        {
            counters.Count("authorization");
        }

        var query = context.Request.Query;
        switch (path.TrimEnd('/'))
        {
            case "/version":
                counters.Count("version");
                break;
            case "/api/v1/nodes" when NodeEndpoints.IsWatch(query):
                counters.Count("watch");
                counters.Watches.Enqueue(new WatchRequest(
                    query["resourceVersion"].ToString(), query["timeoutSeconds"].ToString(), query["allowWatchBookmarks"] == "true",
                    query["sendInitialEvents"] == "true"));
                break;
            case "/api/v1/nodes":
                counters.Count("list");
                counters.Limits.Enqueue(int.TryParse(query["limit"], System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0 ? limit : null);
                if (query["continue"].ToString().Length > 0)
                {
                    counters.Count("continue");
                }

                break;
        }
    }

    private async Task<bool> IsAuthenticatedAsync(HttpContext context)
    {
        switch (simulator.Options.Auth)
        {
            case SimulatorAuth.Token:
                var header = context.Request.Headers.Authorization.ToString();
                return header == "Bearer " + simulator.AcceptedToken;
            case SimulatorAuth.ClientCertificate:
                var certificate = await context.Connection.GetClientCertificateAsync(context.RequestAborted).ConfigureAwait(false);
                return certificate is not null && simulator.Certificates!.IsIssuedByAuthority(certificate);
            default:
                return true;
        }
    }

    // Faults that replace the whole response; body faults are left to the node endpoints.
    private async Task<bool> ApplyStatusFaultAsync(HttpContext context, FaultRule fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.Latency:
                await Task.Delay(fault.Delay, context.RequestAborted).ConfigureAwait(false);
                return false;
            case FaultKind.InternalError:
                await StatusResponses.InternalErrorAsync(context).ConfigureAwait(false);
                return true;
            case FaultKind.TooManyRequests:
                context.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await StatusResponses.WriteAsync(context, 429, "TooManyRequests", "Too many requests, please try again later.").ConfigureAwait(false);
                return true;
            case FaultKind.GoneOnContinue:
                foreach (var name in fault.DeleteNodes)
                {
                    simulator.Nodes.Delete(name);
                }

                await StatusResponses.GoneAsync(context).ConfigureAwait(false);
                return true;
            case FaultKind.Unauthorized:
                await StatusResponses.UnauthorizedAsync(context).ConfigureAwait(false);
                return true;
            case FaultKind.Forbidden:
                await StatusResponses.ForbiddenAsync(context, simulator.Options.UserName).ConfigureAwait(false);
                return true;
            case FaultKind.Redirect:
                context.Response.StatusCode = StatusCodes.Status302Found;
                context.Response.Headers.Location = new Uri(fault.Location ?? simulator.BaseUrl, context.Request.Path + context.Request.QueryString).AbsoluteUri;
                return true;
            case FaultKind.OversizedErrorBody:
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = "application/json";
                await PaddedBody.WriteAsync(context,
                    """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"InternalError","code":500,"message":"simulated oversized error """u8.ToArray(),
                    fault.Size, "\"}"u8.ToArray(), announceLength: fault.ContentLength).ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }
}
