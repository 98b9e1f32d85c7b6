using Prometheus;
using PluginHost.Graph;
using PluginHost.Outputs;
using PluginHost.Outputs.Notifications;
using PluginHost.Scheduling;

namespace PluginHost.Operations;

/// <summary>
/// The host's Prometheus metrics (<c>/metrics</c>), named by Prometheus' conventions (base units,
/// <c>_total</c> counters, <c>pluginhost_</c> prefix). Counters and histograms are updated where
/// things happen; gauges that describe state (entities, queue, outputs, datasource health) and the
/// drivers' own totals (<see cref="DriverCounterMetrics"/>) are read at scrape time from the
/// scheduler and the published graph version, so they cost nothing between scrapes. prometheus-net adds the process and .NET runtime metrics and exports
/// System.Diagnostics.Metrics instruments (plugins may publish their own without a dependency).
/// </summary>
internal static class HostMetrics
{
    private static readonly Histogram SnapshotDuration = Metrics.CreateHistogram(
        "pluginhost_datasource_snapshot_duration_seconds", "How long a datasource's snapshot took, from its start to its last event queued.",
        new HistogramConfiguration { LabelNames = ["datasource", "result"], Buckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });

    private static readonly Counter Events = Metrics.CreateCounter(
        "pluginhost_events_total", "Datasource events applied to the graph.", new CounterConfiguration { LabelNames = ["datasource", "action"] });

    private static readonly Counter OutputErrors = Metrics.CreateCounter(
        "pluginhost_output_errors_total", "Failed writes of an output (each is retried).", new CounterConfiguration { LabelNames = ["output"] });

    private static readonly Histogram ApiRequests = Metrics.CreateHistogram(
        "pluginhost_api_request_duration_seconds", "REST API requests by route, method and status.",
        new HistogramConfiguration { LabelNames = ["route", "method", "status"], Buckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    private static readonly Gauge LastSuccess = Metrics.CreateGauge(
        "pluginhost_datasource_last_success_timestamp_seconds", "Unix time of the datasource's last complete snapshot.", "datasource");

    private static readonly Gauge ConsecutiveFailures = Metrics.CreateGauge(
        "pluginhost_datasource_consecutive_failures", "Snapshots failed in a row (0 when the last one completed).", "datasource");

    private static readonly Gauge Entities = Metrics.CreateGauge(
        "pluginhost_entities", "Live vertices of the graph by type and state (placeholders have the state placeholder).", "type", "state");

    private static readonly Gauge GraphVersionNumber = Metrics.CreateGauge("pluginhost_graph_version", "Number of the published graph version.");

    private static readonly Gauge QueueDepth = Metrics.CreateGauge("pluginhost_queue_batches", "Batches of events waiting in the graph queue.");

    private static readonly Gauge OutputFailing = Metrics.CreateGauge("pluginhost_output_failing", "1 while the output's last write failed.", "output");

    private static readonly Gauge NotificationsBuffered = Metrics.CreateGauge(
        "pluginhost_notifications_buffered", "Notifications waiting for the broker's confirm.");

    private static readonly Counter NotificationsPublished = Metrics.CreateCounter(
        "pluginhost_notifications_published_total", "Notifications the broker confirmed.");

    private static readonly Counter NotificationsDropped = Metrics.CreateCounter(
        "pluginhost_notifications_dropped_total", "Notifications dropped with whole snapshots while the broker was away.");

    private static readonly DriverCounterMetrics DriverCounters = new(Metrics.DefaultFactory);

    private static DatasourceScheduler? _scheduler;

    /// <summary>Reads state gauges from <paramref name="scheduler"/> at every scrape.</summary>
    public static void Observe(DatasourceScheduler scheduler)
    {
        if (Interlocked.Exchange(ref _scheduler, scheduler) is null)
        {
            Metrics.DefaultRegistry.AddBeforeCollectCallback(Refresh);
        }
    }

    public static void SnapshotEnded(string datasource, TimeSpan duration, bool complete) =>
        SnapshotDuration.WithLabels(datasource, complete ? "complete" : "failed").Observe(duration.TotalSeconds);

    // One child per (datasource, action), looked up once: a snapshot applies one event per node.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), Counter.Child> EventChildren = new();

    public static void EventApplied(string datasource, string action) =>
        EventChildren.GetOrAdd((datasource, action), static key => Events.WithLabels(key.Item1, key.Item2)).Inc();

    /// <summary>
    /// For the verbs that serve no <c>/metrics</c> (snapshot, check-config): prometheus-net's
    /// process and runtime collectors start event listeners and timers that such a short process
    /// would only pay for. Called before anything touches the metrics.
    /// </summary>
    public static void WithoutProcessMetrics() => Metrics.SuppressDefaultMetrics();

    public static void OutputFailed(string output) => OutputErrors.WithLabels(output).Inc();

    public static void ApiRequest(string route, string method, int status, TimeSpan duration) =>
        ApiRequests.WithLabels(route, MethodLabel(method), status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Observe(duration.TotalSeconds);

    // The method is whatever token the client sent: as a label of its own, each new one was a new set
    // of series, kept for ever (20,000 requests with made-up methods, without a token even with
    // keystone: +50 MB and a 28 MB scrape). Unknown methods share one label, as in ASP.NET Core's
    // own http.server.request.duration.
    private static readonly HashSet<string> KnownMethods = new(StringComparer.Ordinal) { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT" };

    private static string MethodLabel(string method) => KnownMethods.Contains(method) ? method : "_OTHER";

    private static void Refresh()
    {
        if (Volatile.Read(ref _scheduler) is not { } scheduler)
        {
            return;
        }

        foreach (var runner in scheduler.Runners)
        {
            var status = runner.Status.Current;
            LastSuccess.WithLabels(runner.Name).Set(status.LastSuccess?.ToUnixTimeMilliseconds() / 1000.0 ?? 0);
            ConsecutiveFailures.WithLabels(runner.Name).Set(status.ConsecutiveFailures);
        }

        DriverCounters.Refresh(scheduler.Runners.Select(r => (r.Name, r.Driver)));

        var version = scheduler.Versions.Current;
        GraphVersionNumber.Set(version.Number);
        QueueDepth.Set(scheduler.QueuedBatches);
        RefreshEntities(version);
        foreach (var output in scheduler.Outputs)
        {
            OutputFailing.WithLabels(output.Name).Set(output.LastError is null ? 0 : 1);
            if (output is RabbitNotificationOutput notifications)
            {
                NotificationsBuffered.Set(notifications.Pending);
                NotificationsPublished.IncTo(notifications.Confirmed);
                NotificationsDropped.IncTo(notifications.Dropped.Notifications);
            }
        }
    }

    // Series of types or states that are gone must disappear, not stay at their last count.
    private static void RefreshEntities(GraphVersion version)
    {
        var counts = version.LiveVertices.GroupBy(v => (v.Type, State: v.IsPlaceholder ? "placeholder" : v.State ?? "-"))
            .ToDictionary(g => g.Key, g => g.Count());
        foreach (var labels in Entities.GetAllLabelValues())
        {
            if (!counts.ContainsKey((labels[0], labels[1])))
            {
                Entities.RemoveLabelled(labels);
            }
        }

        foreach (var ((type, state), count) in counts)
        {
            Entities.WithLabels(type, state).Set(count);
        }
    }
}
