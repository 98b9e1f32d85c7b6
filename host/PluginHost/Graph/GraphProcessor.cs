using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PluginHost.Contracts;
using PluginHost.Logging;
using PluginHost.Operations;
using PluginHost.Outputs;

namespace PluginHost.Graph;

/// <summary>
/// The one task that owns the <see cref="EntityGraph"/>: reads the queue, transforms each event,
/// applies it, after a complete snapshot deletes what the snapshot no longer reported, and
/// publishes immutable <see cref="GraphVersion"/>s for readers. Outputs are only told (they never
/// make it wait); an output that throws is logged and the others go on.
/// </summary>
/// <remarks>
/// Watched changes (outside snapshots) are published together: after the first one the processor
/// waits up to <paramref name="publishWindow"/> (default <see cref="PublishWindow"/>) without
/// being woken, then applies whatever arrived meanwhile, in order, and publishes one version. Each
/// change is still applied and told to the outputs on its own; only the publication (and the
/// outputs' <see cref="IGraphOutput.OnGraphPublished"/>) is shared. Anything else queued ends the
/// window at once (see <see cref="GraphQueue.HoldAsync"/>).
/// </remarks>
internal sealed class GraphProcessor(
    GraphQueue queue,
    EntityGraph graph,
    TransformerRegistry initialTransformers,
    IReadOnlyList<IGraphOutput> initialOutputs,
    GraphVersionPublisher publisher,
    TimeSpan initialRetention,
    TimeProvider time,
    ILogger logger,
    TimeSpan? publishWindow = null,
    TransformAhead? transformAhead = null,
    MemoryRelease? memoryRelease = null,
    bool publishWhileSnapshotsOpen = true)
{
    /// <summary>
    /// How long a watched change may wait for others before its version is published. At 50 changes
    /// a second it turns about 50 publications (each a new version, an index update, a call to every
    /// output and a wake-up of the processor) into about 4, for at most 0.25 s of latency against the
    /// 1 s target. 250 ms rather than 100: 0.89–0.96 of the host's CPU over 10 minutes at 20,000
    /// nodes and 50 changes a second, 0.82–0.87 between collections, beside the 100 ms build in the
    /// same runs (bench/README.md, push load, runs S–U).
    /// </summary>
    public static readonly TimeSpan PublishWindow = TimeSpan.FromMilliseconds(250);

    private readonly TimeSpan _publishWindow = publishWindow ?? PublishWindow;

    // Only the processor's task reads or replaces these (a reload sends a ReconfigureQueueItem).
    private TransformerRegistry _transformers = initialTransformers;
    private IReadOnlyList<IGraphOutput> _outputs = initialOutputs;
    private TimeSpan _deletedEntityRetention = initialRetention;

    /// <summary>
    /// While a snapshot is being applied, readers keep the previous version for at most this long;
    /// after it, changes (a watch's updates) are published even though a snapshot is still open.
    /// Not when the processor was made with <c>publishWhileSnapshotsOpen: false</c> (the
    /// <c>snapshot</c> verb, where nothing reads a version before the end): each publication
    /// inserts the second's new vertices into the version's maps on the processor's one thread,
    /// and a cold 65,000-node snapshot made seven of them, as costly as all its applies.
    /// </summary>
    public static readonly TimeSpan MaxPublishDelay = TimeSpan.FromSeconds(1);

    private readonly HashSet<string> _typesWithoutTransformer = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failingOutputs = new(StringComparer.Ordinal);
    // Each datasource's open snapshot, by when it started: a runner lists one snapshot at a time, and
    // one stopped part-way (a reload that creates its driver again) queues no end, so a start while
    // one is open replaces it, and only the end of the snapshot that is open closes it.
    private readonly Dictionary<string, DateTimeOffset> _openSnapshots = new(StringComparer.Ordinal);
    private readonly Dictionary<EntitySource, string> _vertexKeysBySource = [];

    // What each open snapshot changed so far, for the line that says so when it ends.
    private readonly Dictionary<string, ChangeSummary> _snapshotChanges = new(StringComparer.Ordinal);

    // Snapshots a push driver reads itself (a relist, a snapshot relayed from another host), from
    // their first event to their end marker. No start is queued for them, so their changes went to
    // the watched-change lines and their end said "no change" after adding vertices: they are told
    // in the end's line now. Unlike _openSnapshots they never hold publications back: a relayed
    // snapshot whose end never comes (its edge stopped part-way) must not stall the graph.
    private readonly HashSet<string> _readSnapshots = new(StringComparer.Ordinal);

    // Datasources whose current snapshot has events a transformer failed on and no vertex was kept
    // for (the event names no entity the graph holds), with how many: that snapshot's end deletes
    // nothing, as any partial read.
    private readonly Dictionary<string, int> _untransformed = new(StringComparer.Ordinal);
    private DateTimeOffset? _firstUnpublishedAt;

    // When the oldest unpublished change outside a snapshot was applied (Stopwatch ticks; 0: none).
    private long _heldSince;

    // A complete snapshot ended since the last release of memory (run's MemoryRelease).
    private bool _releasePending;

    // Datasources whose complete snapshot ended since the last publication: marked in the publisher
    // (the API's readiness) once a version holding it is published.
    private readonly HashSet<string> _snapshottedUnpublished = new(StringComparer.Ordinal);

    // Alarms that started or ended, not yet told to the outputs.
    private readonly List<GraphChange> _pendingAlarms = [];

    // Changes outside snapshots: one info line a second, not one per watched change.
    private readonly WatchedChangeLog _watchedLog = new(logger, time);

    public EntityGraph Graph => graph;

    public GraphVersionPublisher Publisher => publisher;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var urgentSeen = queue.UrgentCount;
                await ApplyQueuedAsync(reader, cancellationToken).ConfigureAwait(false);
                var held = HeldFor();
                if (held < _publishWindow)
                {
                    // Gather the watch's next changes without being woken by each of them.
                    await queue.HoldAsync(_publishWindow - held, urgentSeen, cancellationToken).ConfigureAwait(false);
                    await ApplyQueuedAsync(reader, cancellationToken).ConfigureAwait(false);
                }

                PublishIfDue(idle: reader.Count == 0);
            }
        }
        finally
        {
            _watchedLog.Dispose(); // the changes of the last second are logged too
        }
    }

    // Everything queued now, in order; a snapshot's long burst is still published after MaxPublishDelay.
    private async ValueTask ApplyQueuedAsync(ChannelReader<GraphQueueItem> reader, CancellationToken cancellationToken)
    {
        while (reader.TryRead(out var item))
        {
            await ApplyAsync(item, cancellationToken).ConfigureAwait(false);
            SortChanges();
            await TellAlarmsAsync(cancellationToken).ConfigureAwait(false);
            PublishIfDue(idle: false);
        }
    }

    // How long unpublished watched changes have waited; the window when there are none to hold.
    private TimeSpan HeldFor()
    {
        if (!graph.HasUnpublishedChanges || _openSnapshots.Count > 0 || _publishWindow <= TimeSpan.Zero)
        {
            return TimeSpan.MaxValue;
        }

        if (_heldSince == 0)
        {
            _heldSince = Stopwatch.GetTimestamp();
        }

        return Stopwatch.GetElapsedTime(_heldSince);
    }

    private async ValueTask ApplyAsync(GraphQueueItem item, CancellationToken cancellationToken)
    {
        switch (item)
        {
            case EventBatchQueueItem batch:
                var transformed = batch.Ahead is { } ahead && ReferenceEquals(ahead.Transformers, _transformers)
                    ? await ahead.Updates.ConfigureAwait(false)
                    : null;
                for (var i = 0; i < batch.Events.Count; i++)
                {
                    await ApplyEventAsync(batch.Events[i], transformed?[i], cancellationToken).ConfigureAwait(false);
                }

                break;
            case SnapshotStartedQueueItem started:
                _openSnapshots[started.DatasourceName] = started.StartedAt;
                await TellAsync(o => o.OnSnapshotStartedAsync(started.DatasourceName, started.StartedAt, cancellationToken)).ConfigureAwait(false);
                break;
            case SnapshotEndedQueueItem ended:
                await EndSnapshotAsync(ended, cancellationToken).ConfigureAwait(false);
                break;
            case DatasourceRemovedQueueItem removed:
                // Its runner was stopped before the removal was queued, part-way through a snapshot at
                // times, and a stopped runner queues no end: an open snapshot of it would hold every
                // later publication back (PublishIfDue) and count against its next snapshots.
                _openSnapshots.Remove(removed.DatasourceName);
                _readSnapshots.Remove(removed.DatasourceName);
                _untransformed.Remove(removed.DatasourceName);
                _snapshotChanges.Remove(removed.DatasourceName);
                _snapshottedUnpublished.Remove(removed.DatasourceName);
                publisher.ForgetSnapshotted(removed.DatasourceName);
                var deleted = graph.MarkOutdatedDeleted(removed.DatasourceName, DateTimeOffset.MaxValue);
                logger.LogInformation("Datasource {Datasource} is no longer enabled: its {Count} entities were deleted", removed.DatasourceName, deleted);
                Publish();
                break;
            case ReconfigureQueueItem reconfigure:
                var replaced = _outputs;
                if (reconfigure.Transformers is { } registry)
                {
                    _transformers = registry;
                    transformAhead?.Use(registry);
                    _vertexKeysBySource.Clear(); // new settings may map an unchanged entity differently
                    graph.ForgetVersions(); // and Apply must not keep what the old settings made of a version it holds
                }

                if (reconfigure.Outputs is { } next)
                {
                    foreach (var output in next)
                    {
                        if (replaced.FirstOrDefault(o => o.Name == output.Name) is { } previous)
                        {
                            output.Replaces(previous);
                        }
                    }
                }

                _outputs = reconfigure.Outputs ?? _outputs;
                _deletedEntityRetention = reconfigure.DeletedEntityRetention;
                reconfigure.Replaced.TrySetResult(reconfigure.Outputs is null ? [] : replaced);
                break;
            case BarrierQueueItem barrier:
                Publish();
                barrier.Processed.TrySetResult();
                break;
        }
    }

    // Changes during a snapshot are told when it ends; others (watched changes) at once.
    private void SortChanges()
    {
        Dictionary<string, List<GraphChange>>? immediate = null;
        var changes = TakeChanges();
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            var datasource = change.DatasourceName ?? string.Empty;
            if (_openSnapshots.ContainsKey(datasource) || _readSnapshots.Contains(datasource))
            {
                (_snapshotChanges.TryGetValue(datasource, out var summary) ? summary : _snapshotChanges[datasource] = new ChangeSummary()).Add(change);
            }
            else
            {
                immediate ??= new Dictionary<string, List<GraphChange>>(StringComparer.Ordinal);
                (immediate.TryGetValue(datasource, out var list) ? list : immediate[datasource] = []).Add(change);
            }
        }

        if (immediate is not null)
        {
            _watchedLog.Add(immediate);
        }
    }

    private async ValueTask EndSnapshotAsync(SnapshotEndedQueueItem ended, CancellationToken cancellationToken)
    {
        SortChanges(); // what came before the end, while the snapshot is still open
        if (_openSnapshots.TryGetValue(ended.DatasourceName, out var open) && open == ended.StartedAt)
        {
            _openSnapshots.Remove(ended.DatasourceName);
        }

        _readSnapshots.Remove(ended.DatasourceName);
        // Before: an event a transformer failed on that named no entity the graph holds was skipped,
        // and this end then deleted the entity it was a reading of (a relayed event carries no
        // entity id, so every relayed one): a partial read deleted. Nothing tells which vertex the
        // event was, so none is deleted; the next snapshot transformed whole deletes as usual.
        var untransformed = _untransformed.Remove(ended.DatasourceName, out var failed) ? failed : 0;
        if (ended.Complete && untransformed > 0)
        {
            logger.LogWarning(
                "The snapshot of {Datasource} had {Events} a transformer failed on (logged above), not known to be of entities the graph holds: it deletes nothing; the next one transformed whole does",
                ended.DatasourceName, untransformed == 1 ? "an event" : $"{untransformed} events");
        }

        if (ended.Complete && untransformed == 0)
        {
            var deleted = graph.MarkOutdatedDeleted(ended.DatasourceName, ended.StartedAt);
            var purged = graph.Purge(_deletedEntityRetention);
            if (purged > 0)
            {
                PruneSources();
            }

            logger.LogDebug("Snapshot of {Datasource} applied: {Deleted} entities no longer reported were marked deleted, {Purged} purged",
                ended.DatasourceName, deleted, purged);
        }

        // The deletions just made belong to this snapshot's account too.
        foreach (var change in TakeChanges())
        {
            (_snapshotChanges.TryGetValue(ended.DatasourceName, out var summary) ? summary : _snapshotChanges[ended.DatasourceName] = new ChangeSummary()).Add(change);
        }

        if (_snapshotChanges.Remove(ended.DatasourceName, out var changes) || ended.Complete)
        {
            logger.LogInformation("{Datasource} snapshot applied: {Changes}{Partial}", ended.DatasourceName, changes ?? new ChangeSummary(),
                !ended.Complete ? " (it failed part-way: nothing was deleted)"
                : untransformed > 0 ? " (events could not be transformed: nothing was deleted)" : string.Empty);
        }

        await TellAlarmsAsync(cancellationToken).ConfigureAwait(false); // the snapshot's alarms come before its end
        await TellAsync(o => o.OnSnapshotEndedAsync(ended.DatasourceName, ended.StartedAt, ended.Complete, cancellationToken)).ConfigureAwait(false);
        _releasePending |= ended.Complete;
        if (ended.Complete)
        {
            _snapshottedUnpublished.Add(ended.DatasourceName);
        }

        if (_openSnapshots.Count == 0)
        {
            Publish();
            if (_releasePending)
            {
                // Once no snapshot is open (a complete one that ended beside another counts too), after
                // the publication: readers move to the new version, the previous one becomes garbage.
                _releasePending = false;
                memoryRelease?.AfterSnapshot();
            }
        }
    }

    /// <param name="transformed">The event's update when it was transformed ahead (<see cref="TransformAhead"/>).</param>
    private async ValueTask ApplyEventAsync(DatasourceEvent datasourceEvent, EntityUpdate? transformed, CancellationToken cancellationToken)
    {
        if (datasourceEvent.IsEndOfSnapshot)
        {
            // A snapshot a push datasource read itself (a relist, a relayed snapshot) is complete.
            await EndSnapshotAsync(new SnapshotEndedQueueItem(datasourceEvent.DatasourceName, datasourceEvent.SampleTime, Complete: true), cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        if (datasourceEvent.Action != DatasourceAction.Update && !_openSnapshots.ContainsKey(datasourceEvent.DatasourceName))
        {
            _readSnapshots.Add(datasourceEvent.DatasourceName); // a snapshot's event with no start queued: read by a push driver
        }

        await TellAsync(o => o.OnEventAsync(datasourceEvent, cancellationToken)).ConfigureAwait(false);
        Operations.HostMetrics.EventApplied(datasourceEvent.DatasourceName, EventJson.ActionName(datasourceEvent.Action));
        var transformer = _transformers.Find(datasourceEvent.EntityType);
        if (transformer is null)
        {
            if (_typesWithoutTransformer.Add(datasourceEvent.EntityType))
            {
                logger.LogWarning("No transformer for entity type {EntityType} (from datasource {Datasource}); its events are skipped",
                    datasourceEvent.EntityType, datasourceEvent.DatasourceName);
            }

            return;
        }

        try
        {
            var source = datasourceEvent.EntityId is { } entityId && datasourceEvent.EntityVersion is not null
                ? new EntitySource(datasourceEvent.DatasourceName, datasourceEvent.EntityType, entityId)
                : (EntitySource?)null;
            if (source is { } known && _vertexKeysBySource.TryGetValue(known, out var key)
                && graph.TryRefresh(key, datasourceEvent.EntityVersion!, datasourceEvent.DatasourceName, datasourceEvent.SampleTime))
            {
                return; // unchanged since the graph last saw it
            }

            var update = transformed ?? transformer.Transform(datasourceEvent);
            var reference = _transformers.IsForeign(datasourceEvent.EntityType, update.Vertex.Type);
            graph.Apply(update, datasourceEvent.DatasourceName, datasourceEvent.SampleTime, reference, reference ? null : datasourceEvent.EntityVersion);
            if (source is { } identified && !reference)
            {
                _vertexKeysBySource[identified] = update.Vertex.Key;
            }
        }
#pragma warning disable CA1031 // one bad entity must not stop the graph; it is logged and skipped
        catch (Exception e)
#pragma warning restore CA1031
        {
            // A snapshot's entity the graph knows stays as it was: skipped and then deleted at the
            // snapshot's end, a node whose reading a transformer could not take would vanish with its alarms.
            var kept = RetainUntransformed(datasourceEvent);
            var snapshot = datasourceEvent.Action != DatasourceAction.Update;
            if (kept is null && snapshot)
            {
                _untransformed[datasourceEvent.DatasourceName] = _untransformed.GetValueOrDefault(datasourceEvent.DatasourceName) + 1;
            }

            logger.LogError("Transformer for {EntityType} failed on an event from {Datasource} and the event is skipped{Kept}: {Error}",
                datasourceEvent.EntityType, datasourceEvent.DatasourceName,
                kept is not null ? $"; {LogText.Escape(kept)} keeps its last state until an event of it is read"
                : snapshot ? "; its snapshot deletes nothing at its end" : string.Empty, LogText.Escape(e.Message));
            logger.LogDebug(e, "Transformer failure");
        }
    }

    // The key of the vertex kept for a snapshot's event that failed to transform, or null.
    private string? RetainUntransformed(DatasourceEvent datasourceEvent) =>
        datasourceEvent.Action != DatasourceAction.Update && datasourceEvent.EntityId is { } entityId
            && _vertexKeysBySource.TryGetValue(new EntitySource(datasourceEvent.DatasourceName, datasourceEvent.EntityType, entityId), out var key)
            && graph.Retain(key, datasourceEvent.DatasourceName, datasourceEvent.SampleTime)
            ? key
            : null;

    // The graph's changes; the alarms among them wait for TellAlarmsAsync.
    private IReadOnlyList<GraphChange> TakeChanges()
    {
        var changes = graph.TakeChanges();
        for (var i = 0; i < changes.Count; i++)
        {
            if (changes[i].IsAlarmStartOrEnd)
            {
                _pendingAlarms.Add(changes[i]);
            }
        }

        return changes;
    }

    private async ValueTask TellAlarmsAsync(CancellationToken cancellationToken)
    {
        if (_pendingAlarms.Count == 0)
        {
            return;
        }

        var alarms = _pendingAlarms.ToList();
        _pendingAlarms.Clear();
        await TellAsync(o => o.OnAlarmsChangedAsync(alarms, cancellationToken)).ConfigureAwait(false);
    }

    // Entities whose vertex was purged no longer need their shortcut.
    private void PruneSources()
    {
        foreach (var (source, key) in _vertexKeysBySource.ToList())
        {
            if (graph.Find(key) is null)
            {
                _vertexKeysBySource.Remove(source);
            }
        }
    }

    private void PublishIfDue(bool idle)
    {
        if (!graph.HasUnpublishedChanges)
        {
            return;
        }

        var now = time.GetUtcNow();
        _firstUnpublishedAt ??= now;
        if ((idle && _openSnapshots.Count == 0)
            || (now - _firstUnpublishedAt >= MaxPublishDelay && (_openSnapshots.Count == 0 || publishWhileSnapshotsOpen)))
        {
            Publish();
        }
    }

    private void Publish()
    {
        if (graph.HasUnpublishedChanges || publisher.Current.Number == 0)
        {
            var version = graph.Publish();
            _firstUnpublishedAt = null;
            _heldSince = 0;
            publisher.Publish(version);
            TellEach(o => o.OnGraphPublished(version));
        }

        // Everything applied is in the current version now (published above, or nothing changed).
        if (_snapshottedUnpublished.Count > 0)
        {
            publisher.MarkSnapshotted(_snapshottedUnpublished);
            _snapshottedUnpublished.Clear();
        }
    }

    // The outputs' synchronous calls (they only hand work to their own buffers).
    private void TellEach(Action<IGraphOutput> call)
    {
        foreach (var output in _outputs)
        {
            try
            {
                call(output);
            }
#pragma warning disable CA1031 // an output's bug must not stop the graph or the other outputs
            catch (Exception e)
#pragma warning restore CA1031
            {
                OutputFailed(output, e);
            }
        }
    }

    // Outputs complete at once but for a bounded, documented wait (see IGraphOutput).
    private async ValueTask TellAsync(Func<IGraphOutput, ValueTask> call)
    {
        foreach (var output in _outputs)
        {
            try
            {
                var told = call(output);
                if (!told.IsCompletedSuccessfully)
                {
                    await told.ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                throw;
            }
#pragma warning disable CA1031 // an output's bug must not stop the graph or the other outputs
            catch (Exception e)
#pragma warning restore CA1031
            {
                OutputFailed(output, e);
            }
        }
    }

    private void OutputFailed(IGraphOutput output, Exception e)
    {
        if (_failingOutputs.Add(output.Name))
        {
            logger.LogError(e, "Output {Output} failed; the graph and the other _outputs go on", output.Name);
        }
    }

    private readonly record struct EntitySource(string DatasourceName, string EntityType, string EntityId);
}
