using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace PluginHost.KubeApiSimulator;

/// <summary>
/// <c>/_sim/…</c>: changes and faults for the standalone simulator, where tests cannot call the
/// library. Loopback only, no auth (it is a test tool).
/// <list type="bullet">
/// <item><c>GET /_sim/counters</c></item>
/// <item><c>POST /_sim/nodes</c> (a node as JSON) or <c>POST /_sim/nodes?generate=N</c></item>
/// <item><c>DELETE /_sim/nodes/{name}</c></item>
/// <item><c>POST /_sim/nodes/{name}/ready?status=True|False|Unknown</c></item>
/// <item><c>POST /_sim/nodes/{name}/conditions/{type}?status=True|False|Unknown</c></item>
/// <item><c>POST /_sim/nodes/{name}/taints/{key}?effect=NoSchedule|NoExecute</c>, <c>DELETE /_sim/nodes/{name}/taints/{key}</c></item>
/// <item><c>POST /_sim/nodes/{name}/cordon</c>, <c>DELETE /_sim/nodes/{name}/cordon</c></item>
/// <item><c>POST /_sim/faults</c> with <c>{"kind":"InternalError","onRequest":2,"times":1,"delayMs":200}</c>
/// (and <c>location</c>, <c>size</c>, <c>contentLength</c>, <c>remainingItemCount</c>, <c>deleteNodes</c> for the faults that use them);
/// <c>DELETE /_sim/faults</c></item>
/// <item><c>POST /_sim/watches/drop</c> (reset every open watch), <c>POST /_sim/compact</c> (older versions get 410),
/// <c>POST /_sim/restore?resourceVersion=N</c> (an etcd restore: the version goes back to N),
/// <c>POST /_sim/watchlist?enabled=true|false</c></item>
/// </list>
/// </summary>
internal sealed class AdminEndpoints(KubeApiSimulator simulator)
{
    public async Task HandleAsync(HttpContext context, string path)
    {
        var method = context.Request.Method;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (segments)
        {
            case ["_sim", "counters"] when method == "GET":
                await context.Response.WriteAsJsonAsync(new Dictionary<string, int>
                {
                    ["total"] = simulator.Counters.Total,
                    ["list"] = simulator.Counters.NodeListRequests,
                    ["continue"] = simulator.Counters.ContinueRequests,
                    ["watch"] = simulator.Counters.WatchRequests,
                    ["authorization"] = simulator.Counters.WithAuthorization,
                    ["nodes"] = simulator.Nodes.Count,
                }).ConfigureAwait(false);
                return;
            case ["_sim", "nodes"] when method == "POST":
                if (int.TryParse(context.Request.Query["generate"], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                {
                    await context.Response.WriteAsJsonAsync(simulator.AddGeneratedNodes(count)).ConfigureAwait(false);
                    return;
                }

                var node = await JsonNode.ParseAsync(context.Request.Body).ConfigureAwait(false) as JsonObject;
                if (node is null)
                {
                    await StatusResponses.BadRequestAsync(context, "body must be a node object").ConfigureAwait(false);
                    return;
                }

                simulator.Nodes.Add(node);
                context.Response.StatusCode = 201;
                return;
            case ["_sim", "nodes", var name] when method == "DELETE":
                context.Response.StatusCode = simulator.Nodes.Delete(name) ? 200 : 404;
                return;
            case ["_sim", "nodes", var name, "ready"] when method == "POST":
                context.Response.StatusCode = simulator.Nodes.SetReady(name, context.Request.Query["status"].ToString() is { Length: > 0 } s ? s : "False") ? 200 : 404;
                return;
            case ["_sim", "nodes", var name, "conditions", var type] when method == "POST":
                context.Response.StatusCode = simulator.Nodes.SetCondition(name, type, context.Request.Query["status"].ToString() is { Length: > 0 } status ? status : "True") ? 200 : 404;
                return;
            case ["_sim", "nodes", var name, "taints", .. var key] when method is "POST" or "DELETE" && key.Length > 0:
                context.Response.StatusCode = simulator.Nodes.SetTaint(name, string.Join('/', key),
                    context.Request.Query["effect"].ToString() is { Length: > 0 } effect ? effect : "NoSchedule", present: method == "POST") ? 200 : 404;
                return;
            case ["_sim", "nodes", var name, "cordon"] when method is "POST" or "DELETE":
                context.Response.StatusCode = simulator.Nodes.SetUnschedulable(name, method == "POST") ? 200 : 404;
                return;
            case ["_sim", "faults"] when method == "POST":
                var request = await JsonSerializer.DeserializeAsync<FaultRequest>(context.Request.Body, KubeApiSimulator.Json).ConfigureAwait(false);
                if (request is null || !Enum.TryParse<FaultKind>(request.Kind, true, out var kind))
                {
                    await StatusResponses.BadRequestAsync(context, "kind must be one of " + string.Join(", ", Enum.GetNames<FaultKind>())).ConfigureAwait(false);
                    return;
                }

                simulator.Faults.Add(new FaultRule(kind)
                {
                    OnRequest = request.OnRequest,
                    EveryNth = request.EveryNth,
                    Times = request.Times,
                    Delay = TimeSpan.FromMilliseconds(request.DelayMs ?? 200),
                    PathPrefix = request.PathPrefix ?? "/api/v1/nodes",
                    Location = request.Location is { } location ? new Uri(location) : null,
                    Size = request.Size ?? new FaultRule(kind).Size,
                    ContentLength = request.ContentLength ?? true,
                    RemainingItemCount = request.RemainingItemCount ?? true,
                    OnWatch = request.OnWatch,
                    AfterEvents = request.AfterEvents ?? 0,
                    DeleteNodes = request.DeleteNodes ?? [],
                });
                context.Response.StatusCode = 201;
                return;
            case ["_sim", "watches", "drop"] when method == "POST":
                await context.Response.WriteAsJsonAsync(new Dictionary<string, int> { ["dropped"] = simulator.DropWatches() }).ConfigureAwait(false);
                return;
            case ["_sim", "compact"] when method == "POST":
                simulator.Nodes.Compact();
                return;
            case ["_sim", "restore"] when method == "POST":
                if (!long.TryParse(context.Request.Query["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var restoredTo))
                {
                    await StatusResponses.BadRequestAsync(context, "resourceVersion must be a number").ConfigureAwait(false);
                    return;
                }

                simulator.Nodes.Restore(restoredTo);
                return;
            case ["_sim", "watchlist"] when method == "POST":
                simulator.WatchListEnabled = context.Request.Query["enabled"] != "false";
                return;
            case ["_sim", "faults"] when method == "DELETE":
                simulator.Faults.Clear();
                return;
            default:
                await StatusResponses.NotFoundAsync(context, $"no admin endpoint {method} {path}").ConfigureAwait(false);
                return;
        }
    }

    private sealed record FaultRequest(
        string Kind, int? OnRequest, int? EveryNth, int? Times, int? DelayMs, string? PathPrefix,
        string? Location, long? Size, bool? ContentLength, bool? RemainingItemCount, bool? OnWatch, int? AfterEvents,
        IReadOnlyList<string>? DeleteNodes);
}
