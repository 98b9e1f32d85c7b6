using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Api.Views;
using PluginHost.Graph;
using PluginHost.Outputs;

namespace PluginHost.Api.Endpoints;

/// <summary><c>/v1/resources/</c>: list (POST, and the deprecated GET), show, count.</summary>
internal static class ResourceEndpoints
{
    public static void Map(IEndpointRouteBuilder app, GraphReadiness readiness)
    {
        app.MapPost("/v1/resources", context => ListAsync(context, readiness));
        app.MapGet("/v1/resources", context => ListAsync(context, readiness));
        app.MapPost("/v1/resources/count", context => CountAsync(context, readiness));
        app.MapGet("/v1/resources/{vitrage_id}", context => ShowAsync(context, readiness));
    }

    private static async Task ListAsync(HttpContext context, GraphReadiness readiness)
    {
        var parameters = await RequestParameters.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var query = parameters.GetQuery();
        var scope = TenantScope.For(ApiRequest.Identity(context), parameters.GetBool("all_tenants"));
        var graph = ApiResponses.UseVersion(context, readiness);
        var resources = ResourceReader.List(graph, scope, Type(parameters), query);
        await ApiResponses.WriteJsonAsync(context, async (writer, ct) =>
        {
            writer.WriteStartArray();
            foreach (var resource in resources)
            {
                VertexJson.Write(writer, resource);
                await NodeLinkGraphWriter.FlushIfFullAsync(writer, ct).ConfigureAwait(false);
            }

            writer.WriteEndArray();
        }).ConfigureAwait(false);
    }

    private static async Task CountAsync(HttpContext context, GraphReadiness readiness)
    {
        var parameters = await RequestParameters.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var query = parameters.GetQuery();
        var groupBy = parameters.GetString("group_by") is { Length: > 0 } field ? field : VertexProperties.Type;
        var scope = TenantScope.For(ApiRequest.Identity(context), parameters.GetBool("all_tenants"));
        var counts = ResourceReader.Count(ApiResponses.UseVersion(context, readiness), scope, Type(parameters), query, groupBy);
        await ApiResponses.WriteJsonAsync(context, writer =>
        {
            writer.WriteStartObject();
            foreach (var (value, count) in counts)
            {
                writer.WriteNumber(value, count);
            }

            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static Task ShowAsync(HttpContext context, GraphReadiness readiness)
    {
        var vitrageId = (string)context.Request.RouteValues["vitrage_id"]!;
        var resource = ResourceReader.Show(ApiResponses.UseVersion(context, readiness), vitrageId, TenantScope.ForShow(ApiRequest.Identity(context)))
            ?? throw ApiException.NotFound($"Failed to show resource: no resource {vitrageId} you may see");
        return ApiResponses.WriteJsonAsync(context, writer => VertexJson.Write(writer, resource));
    }

    private static string? Type(RequestParameters parameters) => parameters.GetString("resource_type") is { Length: > 0 } type ? type : null;
}
