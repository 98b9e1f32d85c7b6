using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Api.Views;
using PluginHost.Contracts;
using PluginHost.Scheduling;

namespace PluginHost.Api.Endpoints;

/// <summary>
/// The small routes: API versions (<c>/</c>), <c>/healthcheck</c>, <c>/v1/status</c>,
/// <c>/v1/service</c>, the template and webhook lists (this host has neither), and a 501 for root
/// cause analysis, posted events and the other template and webhook requests.
/// </summary>
internal static class InfoEndpoints
{
    public static void Map(IEndpointRouteBuilder app, Func<IReadOnlyList<DriverRunner>> runners, GraphReadiness graph)
    {
        app.MapGet("/", VersionsAsync);
        app.MapGet("/healthcheck", HealthcheckAsync);
        app.MapGet("/v1/status", context => StatusAsync(context, graph));
        app.MapGet("/v1/service", context => ServicesAsync(context, runners())); // a reload may change them
        app.MapGet("/v1/template", EmptyListAsync);
        app.MapGet("/v1/webhook", EmptyListAsync);

        // Vitrage routes this host knows and does not serve: said so, not a 404 that looks like a typo.
        app.Map("/v1/rca/{**rest}", _ => throw new ApiException(StatusCodes.Status501NotImplemented,
            "Root cause analysis is not served: it follows the causal edges that Vitrage's evaluator adds from its templates, and this host runs no evaluator"));
        app.Map("/v1/event/{**rest}", _ => throw new ApiException(StatusCodes.Status501NotImplemented,
            "Posting events is not served: this host takes its entities and alarms only from its datasources"));

        // The lists above answer GET /v1/template/ and /v1/webhook/; everything else there (the client's
        // template add/validate/delete/show/versions, webhook add/show/delete) was a bare 404 or 405
        // that read like a wrong endpoint or an old server.
        app.Map("/v1/template/{**rest}", _ => throw new ApiException(StatusCodes.Status501NotImplemented,
            "Templates are not served: this host runs no evaluator, so it keeps no templates to add, validate, show or delete (template list is always empty)"));
        app.Map("/v1/webhook/{**rest}", _ => throw new ApiException(StatusCodes.Status501NotImplemented,
            "Webhooks are not served: this host calls no webhooks (webhook list is always empty); its alarms go out as oslo.messaging notifications "
            + "(vitrage.alarm.activate, vitrage.alarm.deactivate) when [oslo_messaging_notifications] driver = messagingv2"));
    }

    /// <summary>
    /// Vitrage answers 503 until its graph is built (its is_alive: graph.ready); here until every
    /// datasource has completed a snapshot, as every read of the graph (<see cref="GraphReadiness"/>).
    /// </summary>
    private static Task StatusAsync(HttpContext context, GraphReadiness graph)
    {
        graph.EnsureReady();
        return ApiResponses.WriteJsonAsync(context, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("reason", "OK");
            writer.WriteEndObject();
        });
    }

    private static Task VersionsAsync(HttpContext context)
    {
        var request = context.Request;
        var self = $"{request.Scheme}://{request.Host}{request.PathBase}/v1/";
        return ApiResponses.WriteJsonAsync(context, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("versions");
            writer.WriteStartObject();
            writer.WriteString("status", "CURRENT");
            writer.WriteStartArray("links");
            writer.WriteStartObject();
            writer.WriteString("rel", "self");
            writer.WriteString("href", self);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteString("id", "v1.0");
            writer.WriteString("updated", "2015-11-29");
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    // oslo.middleware's healthcheck: JSON for a client that asks for it (the vitrage client), text otherwise.
    private static async Task HealthcheckAsync(HttpContext context)
    {
        if (context.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            await ApiResponses.WriteJsonAsync(context, writer =>
            {
                writer.WriteStartObject();
                writer.WriteBoolean("detailed", false);
                writer.WriteStartArray("reasons");
                writer.WriteStringValue("OK");
                writer.WriteEndArray();
                writer.WriteEndObject();
            }).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "text/plain; charset=UTF-8";
        await context.Response.WriteAsync("OK", context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Vitrage lists its worker processes (name, process, hostname, created); here the parts of
    /// this process, with each datasource's health besides.
    /// </summary>
    private static Task ServicesAsync(HttpContext context, IReadOnlyList<DriverRunner> runners)
    {
        using var process = Process.GetCurrentProcess();
        var created = Iso(process.StartTime.ToUniversalTime());
        var pid = Environment.ProcessId;
        var hostname = Environment.MachineName;

        // An error names what the datasource reached and how (a kubeconfig's path and user, a server):
        // an operator's business, not every project's.
        var admin = ApiRequest.Identity(context).IsAdmin;
        return ApiResponses.WriteJsonAsync(context, writer =>
        {
            void Service(string name, Action? extra = null)
            {
                writer.WriteStartObject();
                writer.WriteString("name", name);
                writer.WriteNumber("process", pid);
                writer.WriteString("hostname", hostname);
                writer.WriteString("created", created);
                extra?.Invoke();
                writer.WriteEndObject();
            }

            writer.WriteStartArray();
            Service("plugin_host.api");
            foreach (var runner in runners.OrderBy(r => r.Name, StringComparer.Ordinal))
            {
                var status = runner.Status.Current;
                Service($"plugin_host.datasource.{runner.Name}", () =>
                {
                    writer.WriteString("state", status.State);
                    WriteTime(writer, "last_success", status.LastSuccess);
                    if (admin && status.LastError is { } error)
                    {
                        writer.WriteString("last_error", error);
                    }

                    WriteCounters(writer, runner.Driver);
                });
            }

            Service("plugin_host.graph");
            writer.WriteEndArray();
        });
    }

    // A driver's own totals (a watch's streams, relists, what a resync found), when it keeps any.
    private static void WriteCounters(Utf8JsonWriter writer, IDatasourceDriver driver)
    {
        IReadOnlyDictionary<string, long> counters;
        try
        {
            counters = driver is IDriverCounters counting ? counting.Counters : new Dictionary<string, long>();
        }
#pragma warning disable CA1031 // a plugin's bug must not fail the service list
        catch (Exception)
#pragma warning restore CA1031
        {
            return;
        }

        if (counters.Count == 0)
        {
            return;
        }

        writer.WriteStartObject("counters");
        foreach (var (name, value) in counters)
        {
            writer.WriteNumber(name, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>An empty list for what this host does not keep (templates, webhooks, alarm history).</summary>
    public static async Task EmptyListAsync(HttpContext context)
    {
        // Vitrage's rule for all_tenants holds here too.
        var parameters = await RequestParameters.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        TenantScope.For(ApiRequest.Identity(context), parameters.GetBool("all_tenants"));
        await ApiResponses.WriteJsonAsync(context, writer =>
        {
            writer.WriteStartArray();
            writer.WriteEndArray();
        }).ConfigureAwait(false);
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            writer.WriteString(name, Iso(value.UtcDateTime));
        }
    }

    // Python's isoformat() of an aware UTC time, as Vitrage writes "created".
    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);
}
