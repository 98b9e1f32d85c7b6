using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Operations;
using Prometheus;

namespace PluginHost.Api.Endpoints;

/// <summary>
/// For the platform around the host: <c>/healthz</c> (liveness), <c>/readyz</c> (readiness),
/// <c>/metrics</c> (Prometheus text) — unauthenticated, as kubelets and Prometheus call them —
/// and <c>/v1/plugin_host/status</c> (authenticated like the rest of /v1).
/// </summary>
internal static class OperationsEndpoints
{
    public static void Map(IEndpointRouteBuilder app, HostHealth health, TimeProvider time)
    {
        app.MapGet("/healthz", context => ProbeAsync(context, health.Liveness(), []));
        app.MapGet("/readyz", context =>
        {
            var readiness = health.Readiness();
            if (!readiness.Ok)
            {
                // Readiness goes by the graph the API reads (GraphWaitsFor): the same Retry-After as its 503s.
                context.Response.Headers[RetryAfter.Header] = RetryAfter.Seconds(health.Scheduler.GraphWaitsFor(), time.GetUtcNow());
            }

            return ProbeAsync(context, readiness, health.Warnings());
        });
        app.MapGet("/metrics", MetricsAsync);
        app.MapGet("/v1/plugin_host/status", context => ApiResponses.WriteJsonAsync(context, writer => HostStatus.Write(writer, health)));
    }

    private static Task ProbeAsync(HttpContext context, (bool Ok, IReadOnlyList<string> Reasons) probe, IReadOnlyList<string> warnings) =>
        ApiResponses.WriteJsonAsync(context, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("status", probe.Ok ? "ok" : "failing");
            HostStatus.WriteStrings(writer, "reasons", probe.Reasons);
            if (warnings.Count > 0)
            {
                HostStatus.WriteStrings(writer, "warnings", warnings);
            }

            writer.WriteEndObject();
        }, probe.Ok ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);

    private static async Task MetricsAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8"; // Prometheus text exposition 0.0.4
        await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
