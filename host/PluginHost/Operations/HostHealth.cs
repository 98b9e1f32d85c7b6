using PluginHost.Scheduling;

namespace PluginHost.Operations;

/// <summary>
/// Liveness and readiness, as <c>/healthz</c>, <c>/readyz</c>, <c>status</c> and systemd see them.
/// Alive: the graph processor answers a probe (a queue barrier) in time, and no datasource loop
/// died. Ready: the graph holds what the datasources report (<see cref="Readiness"/>). A failing output (the alarm
/// history, the graph file, the notifications) is a warning, not unreadiness: the API serves the
/// graph from memory all the same, and a readiness probe failing on it took the API out of its
/// Kubernetes Service whenever RabbitMQ or the history's disk had trouble (a hostile test, stop 39).
/// </summary>
internal sealed class HostHealth(DatasourceScheduler scheduler, TimeProvider time)
{
    /// <summary>How often the processor is probed.</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(10);

    private readonly DateTimeOffset _started = time.GetUtcNow();
    private DateTimeOffset? _lastHeartbeat;
    private string? _probeFailure;

    public DatasourceScheduler Scheduler => scheduler;

    /// <summary>Probes the processor: a barrier through the queue, within <paramref name="timeout"/>.</summary>
    public async Task<bool> ProbeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await scheduler.DrainAsync(deadline.Token).ConfigureAwait(false);
            lock (this)
            {
                _lastHeartbeat = time.GetUtcNow();
                _probeFailure = null;
            }

            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Fail($"the graph processor did not answer a probe within {timeout.TotalSeconds:0} s");
        }
        catch (InvalidOperationException e)
        {
            Fail(e.Message);
        }

        return false;
    }

    private void Fail(string reason)
    {
        lock (this)
        {
            _probeFailure = reason;
        }
    }

    /// <summary>Whether the loops are alive, and if not, why.</summary>
    public (bool Ok, IReadOnlyList<string> Reasons) Liveness()
    {
        var reasons = new List<string>();
        DateTimeOffset? heartbeat;
        string? failure;
        lock (this)
        {
            heartbeat = _lastHeartbeat;
            failure = _probeFailure;
        }

        if (scheduler.ProcessorFailed)
        {
            reasons.Add("the graph processor failed");
        }
        else if (failure is not null)
        {
            reasons.Add(failure);
        }
        else if (time.GetUtcNow() - (heartbeat ?? _started) > 3 * ProbeInterval)
        {
            reasons.Add($"no processor heartbeat for {(time.GetUtcNow() - (heartbeat ?? _started)).TotalSeconds:0} s");
        }

        reasons.AddRange(scheduler.DeadRunners.Select(name => $"the loop of datasource {name} ended"));
        return (reasons.Count == 0, reasons);
    }

    /// <summary>
    /// Whether the API has a graph to serve (<see cref="DatasourceScheduler.GraphWaitsFor"/>), as its own
    /// reads and <c>vitrage status</c> see it: a probe that said otherwise took the API out of its
    /// Kubernetes Service while it answered, for as long as one of several datasources failed, or
    /// after a reload made a failing driver again while the graph held all its entities.
    /// </summary>
    public (bool Ok, IReadOnlyList<string> Reasons) Readiness()
    {
        var reasons = new List<string>();
        foreach (var runner in scheduler.GraphWaitsFor())
        {
            reasons.Add(runner.Status.Current.LastError is { } error
                ? $"datasource {runner.Name} has not completed a snapshot: {error}"
                : $"datasource {runner.Name} has not completed a snapshot yet");
        }

        return (reasons.Count == 0, reasons);
    }

    /// <summary>What works less than it should without making the host unready: the failing outputs.</summary>
    public IReadOnlyList<string> Warnings() =>
        [.. scheduler.Outputs.Where(o => o.LastError is not null).Select(o => $"output {o.Name} is failing: {o.LastError}")];

    /// <summary>Whether every datasource's first snapshot ended, well or not (systemd's READY=1).</summary>
    public bool FirstSnapshotsEnded => scheduler.Runners.All(r => r.Status.Current.LastFinished is not null);
}
