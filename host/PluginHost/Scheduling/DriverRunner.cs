using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using PluginHost.Configuration;
using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.Logging;
using PluginHost.Outputs;

namespace PluginHost.Scheduling;

/// <summary>
/// Runs one datasource's driver: the initial snapshot, a snapshot every interval, changes every
/// changes interval when pulling, a change stream when pushing, retries with backoff after a
/// failure. One loop per datasource, so a slow snapshot is never overlapped by the next one, and a
/// failure here never touches other datasources.
/// </summary>
/// <param name="transformAhead">Transforms the first snapshot's events off the graph processor's task
/// (every entity of a first snapshot is new, so each of its events is transformed).</param>
internal sealed class DriverRunner(
    DatasourceConfiguration datasource,
    IDatasourceDriver driver,
    GraphQueue queue,
    TimeProvider time,
    RetryBackoff backoff,
    ILogger logger,
    TransformAhead? transformAhead = null)
{
    private DatasourceConfiguration _datasource = datasource;

    private CancellationTokenSource _reconfigured = new();

    // Only the first attempt's events are all new to the graph; a retry after a partial failure
    // finds most of them held, and those are never parsed (the processor's fast path).
    private bool _attemptedSnapshot;

    /// <summary>How often a running snapshot logs its progress.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    public string Name { get; } = datasource.Name;

    public IDatasourceDriver Driver => driver;

    public DatasourceConfiguration Configuration => Volatile.Read(ref _datasource);

    /// <summary>What the runner has done so far, for status output; updated as it goes.</summary>
    public DatasourceStatus Status { get; } = new();

    /// <summary>
    /// When the runner tries the snapshot again after failed ones (the loop's own rule: from the last
    /// attempt's start, the backoff, never later than the interval); null while none has failed.
    /// A time already past means the attempt is running or about to.
    /// </summary>
    public DateTimeOffset? NextAttempt => Status.Current is { ConsecutiveFailures: > 0 and var failures, LastStarted: { } started }
        ? started + Min(backoff.Delay(failures), Configuration.SnapshotsInterval)
        : null;

    /// <summary>
    /// New intervals (a reload changed them): the next due times are computed from the new values,
    /// without waiting for the old ones to pass.
    /// </summary>
    public void Reconfigure(DatasourceConfiguration changed)
    {
        Volatile.Write(ref _datasource, changed);
        Interlocked.Exchange(ref _reconfigured, new CancellationTokenSource()).Cancel();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var action = DatasourceAction.InitSnapshot;
        var failures = 0;
        DateTimeOffset? lastStart = null;
        var config = Configuration;
        var pull = config.UpdateMethod == UpdateMethod.Pull && driver is IChangesDriver;
        var lastChanges = time.GetUtcNow();
        var push = config.UpdateMethod == UpdateMethod.Push && driver is IChangesDriver
            ? Task.Run(() => PushLoopAsync(cancellationToken), CancellationToken.None)
            : Task.CompletedTask;

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                config = Configuration;
                var retryDelay = failures == 0 ? config.SnapshotsInterval : Min(backoff.Delay(failures), config.SnapshotsInterval);
                var nextSnapshot = lastStart is { } started ? Later(started + retryDelay, time.GetUtcNow()) : time.GetUtcNow();
                var nextChanges = pull ? lastChanges + config.ChangesInterval : DateTimeOffset.MaxValue;
                var due = nextSnapshot < nextChanges ? nextSnapshot : nextChanges;
                var wait = due - time.GetUtcNow();
                if (wait > TimeSpan.Zero && !await DelayAsync(wait, cancellationToken).ConfigureAwait(false))
                {
                    continue; // reconfigured: compute the due times again
                }

                if (time.GetUtcNow() >= nextSnapshot)
                {
                    // Due times count from the attempt's start: they never drift.
                    lastStart = time.GetUtcNow();
                    if (await RunSnapshotAsync(action, cancellationToken).ConfigureAwait(false))
                    {
                        failures = 0;
                        action = DatasourceAction.Snapshot;
                    }
                    else
                    {
                        failures++;
                        // Counted from the attempt's start, like every due time: what is left of the delay.
                        var retry = lastStart.Value + Min(backoff.Delay(failures), Configuration.SnapshotsInterval) - time.GetUtcNow();
                        logger.LogInformation("Retrying the {Datasource} snapshot in {Delay} s (attempt {Attempt} failed)",
                            Name, Math.Max(0, Math.Ceiling(retry.TotalSeconds)), failures);
                    }
                }

                if (pull && time.GetUtcNow() >= lastChanges + Configuration.ChangesInterval)
                {
                    await RunChangesAsync(cancellationToken).ConfigureAwait(false);
                    lastChanges = time.GetUtcNow();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // shutdown
        }

        await push.ConfigureAwait(false);
    }

    // A timer waits at most ~49 days; snapshots_interval and the retry delays have no such bound. A
    // longer wait is taken in slices (the snapshot loop computes the due times again after each) or,
    // between push streams, cut to this.
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    // False when a reconfiguration interrupted the wait.
    private async Task<bool> DelayAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var reconfigured = Volatile.Read(ref _reconfigured).Token;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, reconfigured);
        try
        {
            await Task.Delay(Min(wait, LongestWait), time, linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && reconfigured.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Runs one get_all into the queue. Returns <c>true</c> only when the listing completed; only then
    /// does the snapshot's end let the graph delete what was not reported.
    /// </summary>
    public async Task<bool> RunSnapshotAsync(DatasourceAction action, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var count = 0;
        await queue.EnqueueAsync(new SnapshotStartedQueueItem(Name, started), cancellationToken).ConfigureAwait(false);
        var progress = new StrongBox<int>();

        // A long snapshot (tens of thousands of nodes, a slow API) says how far it got every few seconds.
        await using var progressLine = time.CreateTimer(
            _ => logger.LogInformation("{Datasource} {Action} in progress: {Count} events so far, {Seconds:F0} s",
                Name, EventJson.ActionName(action), Volatile.Read(ref progress.Value), (time.GetUtcNow() - started).TotalSeconds),
            null, ProgressInterval, ProgressInterval);
        var ahead = action == DatasourceAction.InitSnapshot && !_attemptedSnapshot ? transformAhead : null;
        _attemptedSnapshot = true;
        try
        {
            count = await EventBatcher.EnqueueAllAsync(driver.GetAllAsync(action, cancellationToken), queue, cancellationToken, progress, ahead)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // a datasource failure of any kind is logged and retried, never fatal to the host
        catch (Exception e)
#pragma warning restore CA1031
        {
            Status.SnapshotFailed(started, time.GetUtcNow(), Describe(e));
            Operations.HostMetrics.SnapshotEnded(Name, time.GetUtcNow() - started, complete: false);
            LogFailure(e, $"{EventJson.ActionName(action)} failed; nothing was deleted from the graph");
            await queue.EnqueueAsync(new SnapshotEndedQueueItem(Name, started, Complete: false), cancellationToken).ConfigureAwait(false);
            return false;
        }

        await queue.EnqueueAsync(new SnapshotEndedQueueItem(Name, started, Complete: true), cancellationToken).ConfigureAwait(false);
        var finished = time.GetUtcNow();
        Status.SnapshotSucceeded(started, finished, count);
        Operations.HostMetrics.SnapshotEnded(Name, finished - started, complete: true);
        logger.LogInformation("{Datasource} {Action} complete: {Count} events in {Seconds:F2} s",
            Name, EventJson.ActionName(action), count, (finished - started).TotalSeconds);
        return true;
    }

    private async Task<int> RunChangesAsync(CancellationToken cancellationToken)
    {
        var changes = (IChangesDriver)driver;
        try
        {
            return await EventBatcher.EnqueueAllAsync(changes.GetChangesAsync(cancellationToken), queue, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // as above: logged, tried again at the next changes interval
        catch (Exception e)
#pragma warning restore CA1031
        {
            Status.ChangesFailed(time.GetUtcNow(), Describe(e));
            LogFailure(e, "get_changes failed");
            return -1;
        }
    }

    private async Task PushLoopAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // A push stream that ends or breaks is opened again. After a healthy one (it delivered
                // events or lasted longer than the first delay) at once, with the backoff started
                // over, so a long-running consumer's reconnects never creep up to the maximum; after
                // a failing one, with the capped exponential backoff.
                var opened = time.GetUtcNow();
                var delivered = await RunChangesAsync(cancellationToken).ConfigureAwait(false);
                var healthy = delivered > 0 || time.GetUtcNow() - opened >= backoff.Initial;
                failures = healthy ? 0 : failures + 1;
                await Task.Delay(Min(backoff.Delay(failures), LongestWait), time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // shutdown
        }
    }

    private static string Describe(Exception e) => LogText.Escape(e.Message);

    private void LogFailure(Exception e, string what)
    {
        if (e is DatasourceException or DatasourceConfigurationException)
        {
            logger.LogError("{Datasource} {What}: {Message}", Name, what, Describe(e));
        }
        else
        {
            logger.LogError(e, "{Datasource} {What}: {Message}", Name, what, Describe(e));
        }
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
