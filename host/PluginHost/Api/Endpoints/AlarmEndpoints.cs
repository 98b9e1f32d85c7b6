using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Api.Views;
using Microsoft.Data.Sqlite;
using PluginHost.Graph;
using PluginHost.History;
using PluginHost.Outputs;

namespace PluginHost.Api.Endpoints;

/// <summary><c>/v1/alarm/</c>: list, show and count from the graph version; history from the alarm history database.</summary>
internal static class AlarmEndpoints
{
    // Vitrage's default limit of one alarm list.
    private const int MaxAlarms = 10_000;

    // History reads at once. A read blocks its thread on SQLite and holds a page of up to 10,000 rows:
    // unbounded, a few hundred requests of one client (gone at once) starved the thread pool for tens of
    // seconds (health probes failed, the graph processor missed its probe, SIGTERM took twice
    // shutdown_timeout) and took the host to gigabytes. The others wait, and leave when their client does.
    // Each runs on a thread of its own, not the pool's: on two cores two blocked reads were the pool's
    // two threads, and /healthz waited for the pool to grow (over 5 s in a full test run).
    private static readonly SemaphoreSlim HistoryReads = new(Math.Max(2, Environment.ProcessorCount));

    public static void Map(IEndpointRouteBuilder app, GraphReadiness readiness, AlarmHistoryReader? history)
    {
        app.MapGet("/v1/alarm", context => ListAsync(context, readiness, history));
        app.MapGet("/v1/alarm/count", context => CountAsync(context, readiness));
        app.MapGet("/v1/alarm/history", context => HistoryAsync(context, readiness, history));
        app.MapGet("/v1/alarm/{vitrage_id}", context => ShowAsync(context, readiness));
    }

    private static async Task ListAsync(HttpContext context, GraphReadiness readiness, AlarmHistoryReader? history)
    {
        var parameters = await RequestParameters.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var scope = TenantScope.For(ApiRequest.Identity(context), parameters.GetBool("all_tenants"));
        var resource = parameters.GetString("vitrage_id") is { Length: > 0 } id && id != "all" ? id : null;
        // 0 is no limit (up to Vitrage's 10,000), as in the history: Vitrage serves both from one query.
        var limit = parameters.GetInt("limit", min: 0) ?? MaxAlarms;
        var page = new AlarmPage(AlarmHistoryRequest.SortKeys(parameters), limit == 0 ? MaxAlarms : Math.Min(limit, MaxAlarms),
            AlarmHistoryRequest.Marker(parameters), AlarmHistoryRequest.NextPage(parameters), AlarmHistoryRequest.Filters(parameters));
        var graph = ApiResponses.UseVersion(context, readiness);
        List<VertexView> alarms;
        try
        {
            alarms = AlarmReader.List(graph, scope, resource, page);
        }
        catch (MarkerNotActiveException)
        {
            // The marker's alarm ended since the previous page (or never was): Vitrage serves the list
            // from its history table, where the ended alarm's row still is, and goes on after it.
            // Active alarms have no end, so the row's end does not place it.
            var query = AlarmHistoryRequest.Parse(parameters, scope);
            var values = history is null ? null : await ReadHistoryAsync(history, r => r.MarkerValues(query, page.KeyColumns, context.RequestAborted), context.RequestAborted).ConfigureAwait(false);
            if (values is null)
            {
                throw ApiException.BadRequest(
                    $"Parameter marker = '{page.Marker}' names no alarm you may see, active or in the history (a wrong id, or its row aged out since the previous page): ask again without marker for the first page.");
            }

            for (var i = 0; i < values.Length; i++)
            {
                values[i] = page.KeyColumns[i] == "end_timestamp" ? string.Empty : values[i];
            }

            alarms = AlarmReader.List(graph, scope, resource, page, values);
        }

        await ApiResponses.WriteJsonAsync(context, async (writer, ct) =>
        {
            writer.WriteStartArray();
            foreach (var alarm in alarms)
            {
                AlarmReader.Write(writer, alarm, graph);
                await NodeLinkGraphWriter.FlushIfFullAsync(writer, ct).ConfigureAwait(false);
            }

            writer.WriteEndArray();
        }).ConfigureAwait(false);
    }

    private static async Task HistoryAsync(HttpContext context, GraphReadiness graph, AlarmHistoryReader? history)
    {
        var parameters = await RequestParameters.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        // Until a datasource's first complete snapshot its alarms that ended while the host was down
        // are still open rows: the history is not ready either (Vitrage's answers 503 too).
        graph.EnsureReady();
        var query = AlarmHistoryRequest.Parse(parameters, TenantScope.For(ApiRequest.Identity(context), parameters.GetBool("all_tenants")));
        List<HistoryAlarm> alarms;
        try
        {
            alarms = history is null ? (query.Marker is null ? [] : throw new UnknownMarkerException(query.Marker))
                : await ReadHistoryAsync(history, r => r.Read(query, context.RequestAborted), context.RequestAborted).ConfigureAwait(false);
        }
        catch (UnknownMarkerException e)
        {
            throw ApiException.BadRequest(e.Message);
        }

        await ApiResponses.WriteJsonAsync(context, async (writer, ct) =>
        {
            writer.WriteStartArray();
            foreach (var alarm in alarms)
            {
                AlarmHistoryJson.Write(writer, alarm);
                await NodeLinkGraphWriter.FlushIfFullAsync(writer, ct).ConfigureAwait(false);
            }

            writer.WriteEndArray();
        }).ConfigureAwait(false);
    }

    // One read of the history: at most HistoryReads at once, on a thread of its own (not the pool's);
    // a database that cannot be read now is a 503.
    private static async Task<T> ReadHistoryAsync<T>(AlarmHistoryReader history, Func<AlarmHistoryReader, T> read, CancellationToken cancellationToken)
    {
        await HistoryReads.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Factory.StartNew(() => read(history), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, $"The alarm history cannot be read now: {e.Message}");
        }
        finally
        {
            HistoryReads.Release();
        }
    }

    private static async Task CountAsync(HttpContext context, GraphReadiness readiness)
    {
        var parameters = await RequestParameters.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var scope = TenantScope.For(ApiRequest.Identity(context), parameters.GetBool("all_tenants"));
        var counts = AlarmReader.Count(ApiResponses.UseVersion(context, readiness), scope);
        await ApiResponses.WriteJsonAsync(context, writer =>
        {
            writer.WriteStartObject();
            foreach (var severity in AlarmReader.Severities)
            {
                writer.WriteNumber(severity, counts[severity]);
            }

            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static Task ShowAsync(HttpContext context, GraphReadiness readiness)
    {
        var vitrageId = (string)context.Request.RouteValues["vitrage_id"]!;
        var graph = ApiResponses.UseVersion(context, readiness);
        var alarm = AlarmReader.Show(graph, vitrageId, TenantScope.ForShow(ApiRequest.Identity(context)))
            ?? throw ApiException.NotFound($"Failed to show alarm: no alarm {vitrageId} you may see");
        return ApiResponses.WriteJsonAsync(context, writer => AlarmReader.Write(writer, alarm, graph));
    }
}
