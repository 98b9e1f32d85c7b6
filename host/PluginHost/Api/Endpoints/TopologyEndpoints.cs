using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Api.Views;
using PluginHost.Graph;
using PluginHost.Outputs;

namespace PluginHost.Api.Endpoints;

/// <summary><c>POST /v1/topology/</c>: the graph (node-link) or a tree, from one graph version.</summary>
internal static class TopologyEndpoints
{
    public static void Map(IEndpointRouteBuilder app, GraphReadiness readiness) =>
        app.MapPost("/v1/topology", context => ShowAsync(context, readiness));

    private static async Task ShowAsync(HttpContext context, GraphReadiness readiness)
    {
        var parameters = await RequestParameters.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var graphType = parameters.GetString("graph_type") ?? "graph";
        if (graphType is not ("graph" or "tree"))
        {
            throw ApiException.BadRequest($"graph_type = '{graphType}': expected graph or tree");
        }

        var request = new TopologyRequest(
            Tree: graphType == "tree",
            Depth: parameters.GetInt("depth", min: 0),
            Query: parameters.GetQuery(),
            Root: parameters.GetString("root") is { Length: > 0 } root ? root : null);
        var scope = TenantScope.For(ApiRequest.Identity(context), parameters.GetBool("all_tenants"));
        var graph = ApiResponses.UseVersion(context, readiness);
        if (request.Tree)
        {
            var tree = TopologyReader.ReadTree(graph, request, scope);
            await ApiResponses.WriteJsonAsync(context, (writer, ct) => GraphTreeWriter.WriteAsync(writer, tree, ct)).ConfigureAwait(false);
        }
        else
        {
            var subgraph = TopologyReader.ReadGraph(graph, request, scope);
            await ApiResponses.WriteJsonAsync(context, (writer, ct) => NodeLinkGraphWriter.WriteAsync(writer, subgraph, ct)).ConfigureAwait(false);
        }
    }
}
