using Microsoft.Extensions.Logging;
using PluginHost.Configuration;
using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Scheduling;

/// <summary>
/// Runs one datasource's driver: the initial snapshot, a snapshot every interval, changes every
/// changes interval when pulling, retries with backoff after a failure. One loop per datasource,
/// so a slow snapshot is never overlapped by the next one, and a failure here never touches other
/// datasources.
/// </summary>
internal sealed class DriverRunner(
    DatasourceConfiguration datasource,
    IDatasourceDriver driver,
    GraphQueue queue,
    TimeProvider time,
    RetryBackoff backoff,
    ILogger logger)
{
    public string Name => datasource.Name;

    public IDatasourceDriver Driver => driver;

    /// <summary>Completed snapshots and failed attempts so far (for tests and status output).</summary>
    public int CompletedSnapshots { get; private set; }

    public int FailedSnapshots { get; private set; }

    /// <summary>The message of the last failure, if the last attempt failed.</summary>
    public string? LastError { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var action = DatasourceAction.InitSnapshot;
        var failures = 0;
        var nextSnapshot = time.GetUtcNow();
        var pull = datasource.UpdateMethod == UpdateMethod.Pull && driver is IChangesDriver;
        var nextChanges = pull ? nextSnapshot + datasource.ChangesInterval : DateTimeOffset.MaxValue;
        var push = datasource.UpdateMethod == UpdateMethod.Push && driver is IChangesDriver
            ? Task.Run(() => PushLoopAsync(cancellationToken), CancellationToken.None)
            : Task.CompletedTask;

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var due = nextSnapshot < nextChanges ? nextSnapshot : nextChanges;
                var wait = due - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                }

                if (time.GetUtcNow() >= nextSnapshot)
                {
                    var started = time.GetUtcNow();
                    if (await RunSnapshotAsync(action, cancellationToken).ConfigureAwait(false))
                    {
                        failures = 0;
                        action = DatasourceAction.Snapshot;
                        nextSnapshot = Later(started + datasource.SnapshotsInterval, time.GetUtcNow());
                    }
                    else
                    {
                        failures++;
                        var delay = backoff.Delay(failures);
                        delay = delay > datasource.SnapshotsInterval ? datasource.SnapshotsInterval : delay;
                        logger.LogInformation("Retrying the {Datasource} snapshot in {Delay} s (attempt {Attempt} failed)",
                            Name, delay.TotalSeconds, failures);

                        // Counted from the attempt's start, like the interval: due times never drift.
                        nextSnapshot = Later(started + delay, time.GetUtcNow());
                    }
                }

                if (pull && time.GetUtcNow() >= nextChanges)
                {
                    await RunChangesAsync(cancellationToken).ConfigureAwait(false);
                    nextChanges = time.GetUtcNow() + datasource.ChangesInterval;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // shutdown
        }

        await push.ConfigureAwait(false);
    }

    /// <summary>
    /// Runs one get_all into the queue. Returns <c>true</c> only when the listing completed; only then
    /// is the snapshot-completed marker queued, which lets the graph delete what was not reported.
    /// </summary>
    public async Task<bool> RunSnapshotAsync(DatasourceAction action, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var count = 0;
        try
        {
            await queue.EnqueueAsync(new SnapshotStartedQueueItem(Name, started), cancellationToken).ConfigureAwait(false);
            count = await EventBatcher.EnqueueAllAsync(driver.GetAllAsync(action, cancellationToken), queue, cancellationToken).ConfigureAwait(false);
            await queue.EnqueueAsync(new SnapshotCompletedQueueItem(Name, started), cancellationToken).ConfigureAwait(false);
            CompletedSnapshots++;
            LastError = null;
            logger.LogInformation("{Datasource} {Action} complete: {Count} events in {Seconds:F2} s",
                Name, DatasourceEvent.ActionName(action), count, (time.GetUtcNow() - started).TotalSeconds);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // a datasource failure of any kind is logged and retried, never fatal to the host
        catch (Exception e)
#pragma warning restore CA1031
        {
            FailedSnapshots++;
            LastError = e.Message;
            LogFailure(e, $"{DatasourceEvent.ActionName(action)} failed; nothing was deleted from the graph");
            return false;
        }
    }

    private async Task RunChangesAsync(CancellationToken cancellationToken)
    {
        var changes = (IChangesDriver)driver;
        try
        {
            await EventBatcher.EnqueueAllAsync(changes.GetChangesAsync(cancellationToken), queue, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // as above: logged, tried again at the next changes interval
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailure(e, "get_changes failed");
        }
    }

    private async Task PushLoopAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // A push stream that ends or breaks is opened again after a backoff.
                await RunChangesAsync(cancellationToken).ConfigureAwait(false);
                failures++;
                await Task.Delay(backoff.Delay(failures), time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // shutdown
        }
    }

    private void LogFailure(Exception e, string what)
    {
        if (e is DatasourceException)
        {
            logger.LogError("{Datasource} {What}: {Message}", Name, what, e.Message);
        }
        else
        {
            logger.LogError(e, "{Datasource} {What}: {Message}", Name, what, e.Message);
        }
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
