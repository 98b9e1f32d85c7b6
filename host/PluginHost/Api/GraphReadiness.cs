using Microsoft.AspNetCore.Http;
using PluginHost.Graph;
using PluginHost.Scheduling;

namespace PluginHost.Api;

/// <summary>
/// Whether the graph may be read: not while a datasource's first snapshot is still being read, since
/// what it reports is missing and an empty or partial topology would read as an empty cloud, nor while
/// no datasource has completed one. Vitrage's API
/// answers 503 "vitrage-graph is not ready" to every request of its RootRestController (topology,
/// resources, alarms, history, counts; api/controllers/rest.py, with [api] check_backend on by
/// default) until its graph is built (api_handler/apis/operational.py is_alive: graph.ready); here
/// <c>/v1/status</c> and every read of the graph or the alarm history answer the same 503, so a
/// script that waits for <c>vitrage status</c> and one that reads at once see the same thing.
/// A datasource whose snapshots have failed and never completed (its cluster unreachable, its broker
/// down) does not hold the others' graph back once another datasource has completed one: as Vitrage,
/// whose graph is ready once every driver's first get_all was tried (entity_graph/driver_exec.py
/// catches each driver's failure), since one failing plugin must not stop the others. Its health is
/// in <c>service list</c> and <c>pluginhost status</c>. With every datasource failing, the graph
/// would be empty: still 503.
/// </summary>
internal sealed class GraphReadiness(GraphVersionPublisher versions, Func<IReadOnlyList<DriverRunner>> waitingFor, TimeProvider time)
{
    public GraphVersionPublisher Versions => versions;

    /// <summary>The datasources the graph waits for (<see cref="DatasourceScheduler.GraphWaitsFor"/>).</summary>
    public IReadOnlyList<string> Waiting() => [.. waitingFor().Select(r => r.Name)];

    /// <exception cref="ApiException">503 naming the datasources not done yet (not their errors: those are
    /// for service list's admins and <c>pluginhost status</c>), with a <c>Retry-After</c> (<see cref="RetryAfter"/>).</exception>
    public void EnsureReady()
    {
        var runners = waitingFor();
        if (runners.Count > 0)
        {
            var waiting = runners.Select(r => r.Name).ToList();
            throw new ApiException(StatusCodes.Status503ServiceUnavailable,
                $"The graph is not ready: {(waiting.Count == 1 ? "datasource" : "datasources")} {string.Join(", ", waiting)} "
                + $"{(waiting.Count == 1 ? "has" : "have")} not completed a snapshot yet, so what {(waiting.Count == 1 ? "it reports is" : "they report is")} missing (pluginhost status says why)")
            {
                Headers = new Dictionary<string, string> { [RetryAfter.Header] = RetryAfter.Seconds(runners, time.GetUtcNow()) },
            };
        }
    }
}
