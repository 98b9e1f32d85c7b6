using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using PluginHost.Configuration;
using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.Outputs;
using PluginHost.Scheduling;

namespace PluginHost.History;

/// <summary>
/// Keeps the alarm history (Vitrage's alarms table) in SQLite: every alarm that becomes active is a
/// row, ended when the alarm ends. The graph only hands work to a bounded buffer; a worker writes
/// it in batches, one transaction each: once work comes (and after a full batch, for what is
/// left), the worker collects for up to <see cref="BatchWindow"/> (or until <see cref="MaxBatch"/> changes wait, or a flush asks) and writes
/// what came in one transaction, in the order the graph made it. With watched changes trickling in,
/// this is one wake-up and one commit per window instead of per alarm change. A locked, full or unwritable database is logged once per
/// distinct error and the batch is tried again with a growing delay (at most 30 s) while new work
/// waits in the buffer; when the buffer is full, work is dropped and counted: the history never
/// holds back the graph. A flush (a stop, a reload) waits through the retries only for a lock.
/// After the first complete snapshot of a datasource, alarms still open from before a restart that
/// the datasource no longer reports are ended. Ended alarms older than the retention are pruned at
/// start and every hour.
/// </summary>
internal sealed class AlarmHistoryOutput : IGraphOutput
{
    public const int Capacity = 10_000;
    public const int MaxBatch = 500;

    /// <summary>
    /// How long the worker collects changes before it writes them (a row is in the file at most this
    /// much later). 0.5 s, one commit and one wake-up for the alarms of about two publications of
    /// watched changes (<see cref="GraphProcessor.PublishWindow"/>).
    /// </summary>
    public static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    // How often an idle writer looks whether its file is still the one at the path (OpenedFile).
    private static readonly TimeSpan FileCheckInterval = TimeSpan.FromSeconds(10);

    private readonly HistorySettings _settings;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly DistinctErrorLog _errors;
    private readonly Channel<AlarmHistoryWork> _buffer = Channel.CreateBounded<AlarmHistoryWork>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        SingleWriter = false,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;

    // Ends the worker's batch window early: a full batch is waiting, or a flush was asked for.
    private readonly GatheringWindow _hurry = new();
    private int _flushesAsked;

    // Completed while the last attempt failed with an error no wait mends (see IsBusy): a flush then
    // ends at once, also one asked while the worker sleeps before its next attempt. A success or a
    // lock (which a flush waits for) replaces it.
    private volatile TaskCompletionSource _unmendable = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Only the processor's thread touches these: the alarms each datasource has active now.
    private readonly Dictionary<string, HashSet<string>> _active = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reconciled = new(StringComparer.Ordinal);

    private bool _reconcile;
    private readonly Task _writeAfter;
    private long _dropped;
    private long _written;
    private long _transactions;

    /// <param name="reconcile">End, after each datasource's first complete snapshot, the open alarms it no
    /// longer reports (a starting host); not for an output a reload made while alarms are already active.</param>
    /// <param name="writeAfter">For an output a reload made: the previous output's flush. Nothing is
    /// written before it ends, so an alarm's end told to this output is never written before its start
    /// still waiting in the previous one (which would leave the alarm open for good).</param>
    /// <param name="datasources">With <paramref name="reconcile"/>: the datasources this host runs and the plugins it
    /// has; open rows of the plugins' other datasources (disabled while it was down) are ended first, since no
    /// snapshot of theirs will.</param>
    public AlarmHistoryOutput(HistorySettings settings, ILogger logger, TimeProvider time, bool reconcile = true, Task? writeAfter = null,
        (IReadOnlyCollection<string> Enabled, IReadOnlyCollection<string> Plugins)? datasources = null)
    {
        _reconcile = reconcile;
        _writeAfter = writeAfter ?? Task.CompletedTask;
        _settings = settings;
        _logger = logger;
        _time = time;
        _errors = new DistinctErrorLog(logger, $"alarm history {settings.DatabasePath}", "alarm_history");
        if (reconcile && datasources is var (enabled, plugins))
        {
            Offer(new DisabledDatasourcesEnded(new HashSet<string>(enabled, StringComparer.Ordinal), new HashSet<string>(plugins, StringComparer.Ordinal),
                EventJson.FormatTime(time.GetUtcNow())));
        }

        _worker = Task.Run(() => WorkAsync(_stop.Token));
    }

    public string Name => "alarm_history";

    public string? LastError => _errors.Current;

    /// <summary>Work items written so far (tests and status).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Batches written so far, one transaction each (tests and status).</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Work items dropped because the buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public ValueTask OnEventAsync(DatasourceEvent datasourceEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask OnSnapshotStartedAsync(string datasourceName, DateTimeOffset startedAt, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask OnSnapshotEndedAsync(string datasourceName, DateTimeOffset startedAt, bool complete, CancellationToken cancellationToken)
    {
        if (_reconcile && complete && _reconciled.Add(datasourceName))
        {
            var active = _active.TryGetValue(datasourceName, out var ids) ? new HashSet<string>(ids, StringComparer.Ordinal) : [];
            Offer(new DatasourceReconciled(datasourceName, active, EventJson.FormatTime(_time.GetUtcNow())));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask OnAlarmsChangedAsync(IReadOnlyList<GraphChange> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
        {
            var alarm = change.Alarm!;
            var datasource = alarm.DatasourceName ?? string.Empty;
            if (change.Kind == GraphChangeKind.Added)
            {
                (_active.TryGetValue(datasource, out var ids) ? ids : _active[datasource] = new HashSet<string>(StringComparer.Ordinal)).Add(alarm.VitrageId);
                Offer(new AlarmStarted(AlarmRows.From(alarm)));
            }
            else
            {
                _active.GetValueOrDefault(datasource)?.Remove(alarm.VitrageId);
                Offer(new AlarmEnded(alarm.VitrageId, EventJson.FormatTime(alarm.UpdateTimestamp)));
            }
        }

        return ValueTask.CompletedTask;
    }

    public void OnGraphPublished(GraphVersion version)
    {
    }

    /// <summary>
    /// Goes on with the alarms <paramref name="previous"/> knew active and the datasources it has not
    /// reconciled yet. Made by a reload before a datasource's first complete snapshot (a host started
    /// while its cluster was unreachable), this output would otherwise never end the rows of alarms that
    /// went away while the host was down: the previous output, which would have, is gone by then.
    /// </summary>
    void IGraphOutput.Replaces(IGraphOutput previous)
    {
        if (previous is not AlarmHistoryOutput history)
        {
            return;
        }

        foreach (var (datasource, ids) in history._active)
        {
            _active[datasource] = new HashSet<string>(ids, StringComparer.Ordinal);
        }

        _reconciled.UnionWith(history._reconciled);
        _reconcile = history._reconcile;
    }

    private void Offer(AlarmHistoryWork work)
    {
        if (!_buffer.Writer.TryWrite(work))
        {
            if (Interlocked.Increment(ref _dropped) == 1)
            {
                _logger.LogWarning("alarm history {Path}: its buffer of {Capacity} changes is full (the database is failing or slow); changes are dropped and counted",
                    _settings.DatabasePath, Capacity);
            }
        }
        else if (_buffer.Reader.Count >= MaxBatch)
        {
            // A burst (a snapshot's alarms): a full batch is written at once, so the buffer drains as fast as before.
            _hurry.EndEarly();
        }
    }

    private async Task WorkAsync(CancellationToken stop)
    {
        AlarmHistoryWriter? writer = null;
        OpenedFile? opened = null;
        var failures = 0;
        var nextPrune = DateTimeOffset.MinValue;
        var batch = new List<AlarmHistoryWork>(MaxBatch);
        var flushed = new List<TaskCompletionSource>();
        try
        {
            // Whoever made this output bounds the wait (the reload's shutdown_timeout) and always ends it.
            await _writeAfter.WaitAsync(stop).ConfigureAwait(false);

            // The first round opens the file (and prunes) at once; later ones wait for work or the next prune.
            var more = true;
            while (more)
            {
                while (batch.Count < MaxBatch && _buffer.Reader.TryRead(out var work))
                {
                    if (work is HistoryFlushed flush)
                    {
                        Interlocked.Decrement(ref _flushesAsked);
                        flushed.Add(flush.Done);
                    }
                    else
                    {
                        batch.Add(work);
                    }
                }

                try
                {
                    if (writer is not null && opened is { Gone: true })
                    {
                        // The file or its folder was removed, or the file replaced or moved, while open. SQLite
                        // in WAL mode goes on writing into the file it opened without an error, so every later
                        // row would be lost for good (and the API would read the new file through the old WAL):
                        // the old one is closed (its WAL goes with it) and the file at the path opened instead.
                        _logger.LogWarning("alarm history {Path}: the file was removed, replaced or moved while the host had it open; "
                            + "the host now writes to the file at that path (a new, empty one if there is none; the alarms active now "
                            + "have no row in it). Restore a backup with the host stopped (docs/deploy.md)", _settings.DatabasePath);
                        writer.Dispose();
                        writer = null;
                        opened = null;
                    }

                    if (writer is null)
                    {
                        writer = new AlarmHistoryWriter(AlarmHistoryDatabase.OpenForWriting(_settings.DatabasePath));
                        opened = OpenedFile.At(_settings.DatabasePath);
                    }

                    if (_time.GetUtcNow() >= nextPrune)
                    {
                        Prune(writer);
                        nextPrune = _time.GetUtcNow() + PruneInterval;
                    }

                    if (batch.Count > 0)
                    {
                        writer.Write(batch);
                        Interlocked.Add(ref _written, batch.Count);
                        Interlocked.Increment(ref _transactions);
                        batch.Clear();
                    }

                    failures = 0;
                    _errors.Succeeded();
                    FlushesWaitAgain();

                    flushed.ForEach(f => f.TrySetResult());
                    flushed.Clear();
                    if (_buffer.Reader.Count == 0)
                    {
                        more = await WaitForWorkAsync(nextPrune, stop).ConfigureAwait(false);
                    }

                    // New work gathers, and so does what came after a full batch (at once when another
                    // full batch waits); not when only a prune is due.
                    if (more && _buffer.Reader.Count > 0)
                    {
                        await CollectAsync(stop).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    // Locked by another process, disk full, read-only, a newer schema: the batch stays and is tried again.
                    _errors.Failed(Describe(e));
                    writer?.Dispose();
                    writer = null;
                    failures++;
                    if (!IsBusy(e))
                    {
                        // Only a lock goes away by waiting: a flush waiting through the retries for a file of a
                        // newer host, or not a database at all, made every stop take the whole shutdown_timeout
                        // (a hostile test, stop 39). Flushes end; the work stays and is retried while this output
                        // runs (a stop or a reload, which disposes it after the flush, counts it as not written).
                        _unmendable.TrySetResult();
                        flushed.ForEach(f => f.TrySetResult());
                        flushed.Clear();
                    }
                    else
                    {
                        // A lock after such an error (the bad file moved away, a backup holding the new one):
                        // flushes wait for it again, as for any lock.
                        FlushesWaitAgain();
                    }

                    var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures - 1), MaxRetryDelay.TotalSeconds));
                    await Task.Delay(delay, _time, stop).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // stopping: what is still buffered is reported by DisposeAsync
        }
        finally
        {
            writer?.Dispose();
            flushed.ForEach(f => f.TrySetResult());
            if (batch.Count > 0)
            {
                Interlocked.Add(ref _dropped, batch.Count);
            }
        }
    }

    // After a success or a lock: flushes wait for the writes again (see _unmendable).
    private void FlushesWaitAgain()
    {
        if (_unmendable.Task.IsCompleted)
        {
            _unmendable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    // Microsoft.Data.Sqlite's messages start "SQLite Error 26: ..." already; the code is added only
    // where one does not (it was said twice).
    private static string Describe(Exception e) => e is SqliteException sqlite
        ? sqlite.Message.Contains($"SQLite Error {sqlite.SqliteErrorCode}", StringComparison.OrdinalIgnoreCase)
            ? sqlite.Message.TrimEnd('.')
            : $"{sqlite.Message.TrimEnd('.')} (SQLite error {sqlite.SqliteErrorCode})"
        : e.Message;

    // SQLITE_BUSY and SQLITE_LOCKED: another connection holds the file for now.
    private static bool IsBusy(Exception e) => e is SqliteException { SqliteErrorCode: 5 or 6 };

    /// <summary>
    /// Until there is work, a prune is due or the file is to be looked at again (<see cref="FileCheckInterval"/>:
    /// a file replaced while no alarm changes would otherwise be read by the API through the old WAL for as
    /// long); <c>false</c> once the buffer is completed and empty.
    /// </summary>
    private async Task<bool> WaitForWorkAsync(DateTimeOffset nextPrune, CancellationToken stop)
    {
        var work = _buffer.Reader.WaitToReadAsync(stop).AsTask();
        var untilPrune = nextPrune - _time.GetUtcNow();
        var wait = untilPrune < FileCheckInterval ? untilPrune : FileCheckInterval;

        // The timer goes as soon as work comes: with watched changes this wait ends many times a second,
        // and each left behind would hold a timer (thousands, scanned by the runtime).
        using var timerWait = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var timerDue = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, timerWait.Token);
        var first = await Task.WhenAny(work, timerDue).ConfigureAwait(false);
#pragma warning disable CA1849 // Cancel, not CancelAsync: it only takes the delay's timer back, and CancelAsync would queue a task (a thread wake-up) for each wait
        timerWait.Cancel();
#pragma warning restore CA1849
        return first != work || await work.ConfigureAwait(false);
    }

    /// <summary>
    /// Lets changes gather for <see cref="BatchWindow"/> after the first one came, unless a full batch
    /// waits, a flush is asked for or the host stops (Offer and FlushAsync count first and signal
    /// after, so what came before the wait is seen by its check).
    /// </summary>
    private Task CollectAsync(CancellationToken stop) =>
        _hurry.WaitAsync(BatchWindow, () => _buffer.Reader.Count >= MaxBatch || Volatile.Read(ref _flushesAsked) > 0, stop);

    private void Prune(AlarmHistoryWriter writer)
    {
        if (_settings.Retention is not { } retention)
        {
            return;
        }

        var pruned = writer.Prune(EventJson.FormatTime(_time.GetUtcNow() - retention));
        if (pruned > 0)
        {
            _logger.LogInformation("alarm history {Path}: {Count} alarms that ended more than {Days} days ago were pruned",
                _settings.DatabasePath, pruned, (int)retention.TotalDays);
        }
    }

    /// <summary>Waits until what was handed over so far is written, or an attempt to write it failed with
    /// an error other than a lock (the work stays and is retried), or a lock outlasts <paramref name="cancellationToken"/>.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Increment(ref _flushesAsked);
        if (_buffer.Writer.TryWrite(new HistoryFlushed(done)))
        {
            _hurry.EndEarly(); // no batch window: write what is there now
            await Task.WhenAny(done.Task, _worker, _unmendable.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Interlocked.Decrement(ref _flushesAsked);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _buffer.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _worker.ConfigureAwait(false);
        var lost = Dropped + _buffer.Reader.Count;
        if (lost > 0)
        {
            _logger.LogWarning("alarm history {Path}: {Count} alarm changes were not written (buffer full, or the database failed until the host stopped)",
                _settings.DatabasePath, lost);
        }

        _stop.Dispose();
    }
}
