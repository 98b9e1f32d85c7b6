using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PluginHost.Configuration;
using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.Outputs;
using PluginHost.Plugins;
using PluginHost.Scheduling;
using PluginHost.States;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Graph;

/// <summary>
/// A randomized differential test of the graph processor (GraphDifferentialTests covers the graph
/// alone). Seeded sequences of two datasources' snapshots (complete, failed part-way, cancelled by
/// the datasource's removal), watched changes, relists, reloads of the transformers and
/// re-enabled datasources go through the real path: <see cref="DriverRunner.RunSnapshotAsync"/>,
/// <see cref="EventBatcher"/>, <see cref="TransformAhead"/>, the <see cref="GraphQueue"/> and a
/// <see cref="GraphProcessor"/> with the datasource values, whose transformer derives alarms. The
/// reference is a second processor fed the same items one event at a time, every event stripped of
/// its <see cref="DatasourceEvent.EntityVersion"/> (so each is transformed and applied in full, no
/// shortcut, nothing transformed ahead). Every version the processor under test publishes must be
/// the reference's graph after some prefix of the items, in order; once it has applied a step with
/// no snapshot open it must publish the reference's graph without being asked (no barrier); and a
/// complete snapshot, a failed one and a removal must leave what DESIGN.md §3 says.
/// </summary>
public sealed class ProcessorDifferentialTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Short, so the random runs purge what they deleted a few steps ago.
    private static readonly TimeSpan Retention = TimeSpan.FromSeconds(20);

    // How long a processor may take to publish (or apply) what it was given: far above what it needs,
    // even beside the large graph tests on two cores (only a failing run waits it out).
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private const string Alpha = "alpha";
    private const string Beta = "beta";
    private const string AlphaNode = "alpha.node";
    private const string BetaHost = "beta.host";

    // A beta entity that only links an alpha node (a type beta's plugin does not own): a reference.
    private const string BetaLink = "beta.link";
    private const string AlarmType = "test.alarm";

    // Review stop 38: a beta entity that is an alarm vertex with a key alpha's nodes may derive. On
    // even seeds alpha owns the alarm type (a registered entity type), so beta's events only link it
    // (references); on odd seeds beta reports it itself.
    private const string BetaAlarm = "beta.alarm";
    // The last one a beta host derives: the same datasource reports it itself too.
    private static readonly string[] BetaAlarmIds = ["shared-0", "shared-1", $"{AlphaNode}/0/NotReady", $"{AlphaNode}/1/DiskPressure", $"{BetaHost}/0/Unreachable"];

    // The name (and id) of an alarm any alpha node may derive, so that it changes owner.
    private const string SharedAlarm = "shared-";
    private const string Probe = "probe";

    private const int Steps = 220;

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        // 1-30 in CI; a reviewer widens the range once (e.g. 1-300) without editing the test.
        var from = int.TryParse(Environment.GetEnvironmentVariable("PROCESSOR_DIFFERENTIAL_SEED_FROM"), out var f) ? f : 1;
        var to = int.TryParse(Environment.GetEnvironmentVariable("PROCESSOR_DIFFERENTIAL_SEED_TO"), out var t) ? t : 30;
        for (var seed = from; seed <= to; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task RandomSteps_EveryPublishedVersion_IsTheFullyAppliedReferenceAfterAPrefix(int seed)
    {
        await using var run = new Run(seed);
        await run.BeginAsync();
        for (var step = 0; step < Steps; step++)
        {
            await run.RandomStepAsync();
        }

        run.CheckNoErrorLogged();
    }

    public static TheoryData<string, string?> ReloadedVersions => new()
    {
        // case, the version of the node's event after the reload (its content is the same)
        { "the version the graph holds", "r0" },
        { "no version", null },
        { "a new version", "r1" },
    };

    // Found by the random steps. A reload that replaces the transformers clears the processor's
    // shortcut (GraphProcessor: "new settings may map an unchanged entity differently"), so the
    // node's next event is transformed with the new settings; but EntityGraph.Apply still finds the
    // version it holds and keeps the properties, name and state the old settings made (its
    // `unchanged`), while the edges and alarms follow the new transform. The full update of the
    // same event (no version) gives the new settings' vertex.
    [Theory]
    [MemberData(nameof(ReloadedVersions))]
    public async Task RunAsync_TransformersReloadedThenUnchangedEntity_VertexIsWhatTheNewTransformersMake(string name, string? version)
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var side = new Side(Registry(1), TimeSpan.Zero, null, NullLogger.Instance, null);
        await SnapshotOfOneNodeAsync(side, "r0", cancellation);
        var reload = Run.Reconfigure(Registry(2));
        await side.Queue.EnqueueAsync(reload, cancellation);
        await reload.Replaced.Task.WaitAsync(Patience, cancellation);
        side.Time.Advance(TimeSpan.FromMinutes(10));

        await SnapshotOfOneNodeAsync(side, version, cancellation);

        var version2 = side.Processor.Publisher.Current;
        var node = version2.Find(EntityVertex.BuildKey(EntityCategories.Resource, AlphaNode, "n1")).ShouldNotBeNull(name);
        node.Properties["mapping"].ShouldBe("m2", name);
        version2.Find(EntityVertex.BuildKey(EntityCategories.Alarm, AlarmType, $"{AlphaNode}/n1/NotReady")).ShouldNotBeNull(name).Properties["mapping"].ShouldBe("m2", name);
    }

    public static TheoryData<string> ChangesAfterARemovalPartWay => new()
    {
        "a watched change of the other datasource",
        "the removed datasource enabled again: its complete snapshot",

        // A reload that changes the datasource's settings stops its runner the same way and starts
        // a new one for a new driver, with no removal (DatasourceScheduler: StopSlotAsync, StartSlot).
        DriverCreatedAgain,
    };

    private const string DriverCreatedAgain = "its driver created again, not removed: the new driver's complete snapshot";

    // Found by the random steps. A reload that disables a datasource stops its runner, part-way
    // through a snapshot at times (DatasourceScheduler.ReconcileDatasourcesAsync: StopSlotAsync,
    // then DatasourceRemovedQueueItem); a stopped runner queues no end of its snapshot
    // (DriverRunner.RunSnapshotAsync rethrows the cancellation). The processor deletes the
    // datasource's entities but keeps its snapshot open for ever, and a processor with an open
    // snapshot publishes nothing when idle: every later change waits for an item that comes more
    // than MaxPublishDelay after it (a quiet watch's change, never), and the datasource's own
    // snapshots, once it is enabled again, are no longer published at their end.
    [Theory]
    [MemberData(nameof(ChangesAfterARemovalPartWay))]
    public async Task RunAsync_DatasourceRemovedPartWayThroughItsSnapshot_LaterChangesArePublished(string after)
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var side = new Side(Registry(1), TimeSpan.Zero, null, NullLogger.Instance, null);
        var driver = new ScriptDriver();
        var runner = new DriverRunner(Configuration(Alpha), driver, side.Queue, side.Time, new RetryBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60)),
            NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        driver.Script = (_, token) => Yielded([NodeEvent(side, "r0")], [false], failAt: -1, stopAt: 1, stop, pause: null, token);
        try
        {
            await runner.RunSnapshotAsync(DatasourceAction.InitSnapshot, stop.Token);
            throw new ShouldAssertException("the stopped snapshot ended");
        }
        catch (OperationCanceledException)
        {
            // stopped as the scheduler stops it (a TaskCanceledException when the batcher was queuing): no end is queued
        }

        if (after != DriverCreatedAgain)
        {
            await side.Queue.EnqueueAsync(new DatasourceRemovedQueueItem(Alpha), cancellation);
        }

        side.Time.Advance(TimeSpan.FromSeconds(30));

        string key;
        if (after == "a watched change of the other datasource")
        {
            var host = new EventContent(BetaHost, "h1", "host-1", "up", new Dictionary<string, string>(StringComparer.Ordinal), [], []);
            var change = new DatasourceEvent(BetaHost, DatasourceAction.Update, side.Time.GetUtcNow(), Beta, JsonSerializer.SerializeToElement(host));
            await EventBatcher.EnqueueAllAsync(new[] { change }.ToAsyncEnumerable(), side.Queue, cancellation);
            key = EntityVertex.BuildKey(EntityCategories.Resource, BetaHost, "h1");
        }
        else
        {
            var again = new ScriptDriver { Script = (_, token) => Yielded([NodeEvent(side, "r0")], [false], -1, -1, null, null, token) };
            var enabled = new DriverRunner(Configuration(Alpha), again, side.Queue, side.Time, new RetryBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60)),
                NullLogger.Instance);
            (await enabled.RunSnapshotAsync(DatasourceAction.InitSnapshot, cancellation)).ShouldBeTrue(after);
            key = EntityVertex.BuildKey(EntityCategories.Resource, AlphaNode, "n1");
        }

        // No barrier (DrainAsync): its end publishes whatever it finds.
        var published = await WaitForVersionAsync(side.Processor.Publisher, v => v.Find(key) is { IsDeleted: false }, Patience);
        published.ShouldBeTrue(after);
    }

    private static async Task<bool> WaitForVersionAsync(GraphVersionPublisher publisher, Func<GraphVersion, bool> wanted, TimeSpan patience)
    {
        using var deadline = new CancellationTokenSource(patience);
        try
        {
            // The version checked is the one waited past: reading Current twice could skip the one wanted.
            var version = publisher.Current;
            while (!wanted(version))
            {
                version = await publisher.WaitForNewerAsync(version.Number, deadline.Token);
            }

            return true;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return false;
        }
    }

    // Node n1 of alpha, Ready, with one alarm, at the processor's clock.
    private static DatasourceEvent NodeEvent(Side side, string? version)
    {
        var content = new EventContent(AlphaNode, "n1", "node-1", "Ready", new Dictionary<string, string>(StringComparer.Ordinal), [],
            [["NotReady", "CRITICAL", null]]);
        return new DatasourceEvent(AlphaNode, DatasourceAction.Snapshot, side.Time.GetUtcNow(), Alpha, JsonSerializer.SerializeToElement(content))
        {
            EntityId = "n1",
            EntityVersion = version,
        };
    }

    private static async Task SnapshotOfOneNodeAsync(Side side, string? version, CancellationToken cancellation)
    {
        var started = side.Time.GetUtcNow();
        await side.Queue.EnqueueAsync(new SnapshotStartedQueueItem(Alpha, started), cancellation);
        await side.Queue.EnqueueAsync(new EventBatchQueueItem([NodeEvent(side, version)]), cancellation);
        await side.Queue.EnqueueAsync(new SnapshotEndedQueueItem(Alpha, started, Complete: true), cancellation);
        await side.Queue.DrainAsync(cancellation).WaitAsync(Patience, cancellation);
    }

    /// <summary>One seeded run: the world the datasources read, the processor under test, the reference.</summary>
    private sealed class Run : IAsyncDisposable
    {
        private readonly int _seed;
        private readonly Random _random;
        private readonly Side _subject;
        private readonly Side _reference;
        private readonly Recorder _recorder = new();
        private readonly TransformAhead _ahead;
        private readonly CapturingLogger _logger = new();
        private readonly Dictionary<string, Source> _sources = new(StringComparer.Ordinal);
        private readonly Dictionary<(string EntityType, string Id), Entity> _world = [];
        private readonly List<string> _log = [];
        private readonly int _alphaNodes;
        private readonly int _betaHosts;
        private int _mapping = 1;
        private readonly bool _alarmLinks;
        private int _replayed;
        private int _publicationsSeen;
        private string _referenceRender = string.Empty;

        public Run(int seed)
        {
            _seed = seed;
            _random = new Random(seed);
            _alphaNodes = 4 + (seed % 4);
            _betaHosts = 3 + (seed % 3);
            _alarmLinks = seed % 2 == 0;
            var registry = Registry(_mapping, _alarmLinks);
            _ahead = new TransformAhead(registry);

            // Every third seed holds watched changes for a short window (the hold path); the others publish at once.
            var window = seed % 3 == 0 ? TimeSpan.FromMilliseconds(2) : TimeSpan.Zero;
            _subject = new Side(registry, window, _ahead, _logger, _recorder);
            _reference = new Side(registry, TimeSpan.Zero, null, NullLogger.Instance, null);
            foreach (var id in Enumerable.Range(0, _alphaNodes))
            {
                _world[(AlphaNode, Id(id))] = new Entity(Alpha, AlphaNode, Id(id)) { Exists = _random.Next(5) > 0 };
                _world[(BetaLink, Id(id))] = new Entity(Beta, BetaLink, Id(id)) { Exists = _random.Next(3) == 0 };
            }

            foreach (var id in Enumerable.Range(0, _betaHosts))
            {
                _world[(BetaHost, Id(id))] = new Entity(Beta, BetaHost, Id(id)) { Exists = _random.Next(5) > 0 };
            }

            foreach (var id in BetaAlarmIds)
            {
                _world[(BetaAlarm, id)] = new Entity(Beta, BetaAlarm, id) { Exists = _random.Next(2) == 0 };
            }
        }

        private DateTimeOffset Now => _subject.Time.GetUtcNow();

        public async Task BeginAsync()
        {
            _referenceRender = Render(_reference.Processor.Publisher.Current);
            foreach (var ds in new[] { Alpha, Beta })
            {
                await EnableAsync(ds);
            }
        }

        public async Task RandomStepAsync()
        {
            Advance(_random.Next(1, 4));
            var ds = _random.Next(2) == 0 ? Alpha : Beta;
            var roll = _random.Next(100);
            if (roll < 80 && !_sources.ContainsKey(ds))
            {
                await EnableAsync(ds); // a step of a disabled datasource: the reload that enables it again
                return;
            }

            switch (roll)
            {
                case < 22:
                    await SnapshotAsync(ds, fail: _random.Next(5) == 0);
                    break;
                case < 46:
                    await WatchedAsync(ds, relist: false);
                    break;
                case < 52:
                    await WatchedAsync(ds, relist: true);
                    break;
                case < 62:
                    ChangeWorld(ds, _random.Next(1, 4));
                    break;
                case < 68:
                    await InterleavedAsync();
                    break;
                case < 72:
                    await SnapshotAsync(Alpha, fail: false);
                    await SnapshotAsync(Beta, fail: false);
                    break;
                case < 80:
                    Advance(_random.Next(15, 40)); // past the retention: the next complete snapshot purges
                    break;
                case < 86:
                    await ReloadTransformersAsync();
                    break;
                case < 93:
                    if (_sources.Count > 0)
                    {
                        await RemoveAsync(_sources.ContainsKey(ds) ? ds : _sources.Keys.First());
                    }

                    break;
                default:
                    if (!_sources.ContainsKey(ds))
                    {
                        await EnableAsync(ds);
                    }
                    else
                    {
                        await SnapshotAsync(ds, fail: false);
                    }

                    break;
            }
        }

        public void CheckNoErrorLogged() => _logger.Errors.ShouldBeEmpty(Context("errors were logged"));

        // Between steps both processors are idle: their clocks move together.
        private void Advance(int seconds)
        {
            _subject.Time.Advance(TimeSpan.FromSeconds(seconds));
            _reference.Time.Advance(TimeSpan.FromSeconds(seconds));
        }

        private async Task EnableAsync(string ds)
        {
            // A new runner, as the scheduler makes for an enabled datasource: its first snapshot is transformed ahead.
            var driver = new ScriptDriver();
            var runner = new DriverRunner(Configuration(ds), driver, _subject.Queue, _subject.Time,
                new RetryBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60)), NullLogger.Instance, _ahead);
            _sources[ds] = new Source(runner, driver);
            _log.Add($"{Clock} enable {ds}");
            if (ds == Alpha && _sources.ContainsKey(Beta) && _random.Next(2) == 0)
            {
                await InterleavedAsync(); // its first snapshot, transformed ahead, beside beta's watch
            }
            else
            {
                await SnapshotAsync(ds, fail: false);
            }
        }

        private async Task SnapshotAsync(string ds, bool fail)
        {
            if (!_sources.TryGetValue(ds, out var source))
            {
                return;
            }

            var events = SnapshotEvents(ds, source.Action);
            var failAt = fail ? _random.Next(events.Count + 1) : -1;
            var splits = Splits(events.Count);
            var before = _reference.Processor.Publisher.Current;
            source.Driver.Script = (_, cancellation) => Yielded(events, splits, failAt, stopAt: -1, stop: null, pause: null, cancellation);
            _log.Add($"{Clock} snapshot {ds} ({source.Action}, {events.Count} events{(fail ? $", fails after {failAt}" : string.Empty)})");
            var recorded = _recorder.Count;
            var complete = await source.Runner.RunSnapshotAsync(source.Action, CancellationToken.None);
            complete.ShouldBe(!fail, Context("the snapshot's outcome"));
            if (complete)
            {
                source.Action = DatasourceAction.Snapshot;
            }

            await FinishStepAsync(recorded + 2 + (fail ? failAt : events.Count), liveness: true);
            var after = _reference.Processor.Publisher.Current;
            if (complete)
            {
                CheckCompleteSnapshot(ds, after);
            }
            else
            {
                CheckNothingDeleted(before, after);
            }
        }

        // A watch's changes (or, with relist, a relist the driver read itself, ended by its marker).
        private async Task WatchedAsync(string ds, bool relist)
        {
            if (!_sources.ContainsKey(ds))
            {
                return;
            }

            List<DatasourceEvent> events;
            if (relist)
            {
                events = [.. SnapshotEvents(ds, DatasourceAction.Update), DatasourceEvent.EndOfSnapshot(ds, Now)];
            }
            else
            {
                events = [];
                for (var i = _random.Next(1, 5); i > 0; i--)
                {
                    events.Add(WatchedEvent(ds));
                }
            }

            _log.Add($"{Clock} watched {ds}{(relist ? " relist" : string.Empty)}: {string.Join("; ", events.Select(Describe))}");
            var recorded = _recorder.Count;
            var splits = Splits(events.Count);
            await EventBatcher.EnqueueAllAsync(Yielded(events, splits, -1, -1, null, null, CancellationToken.None), _subject.Queue, CancellationToken.None);
            await FinishStepAsync(recorded + events.Count, liveness: true);
            if (relist)
            {
                CheckCompleteSnapshot(ds, _reference.Processor.Publisher.Current);
            }
        }

        // Alpha's snapshot stops part-way (its driver waits) while beta's watch goes on, a second may
        // pass on the processor's clock (the open snapshot is then published) and a reload may replace
        // the transformers while the processor is held (alpha's later batches, in a first snapshot,
        // are then transformed ahead with the old ones and must be transformed again).
        private async Task InterleavedAsync()
        {
            if (!_sources.TryGetValue(Alpha, out var alpha) || !_sources.ContainsKey(Beta))
            {
                return;
            }

            var events = SnapshotEvents(Alpha, alpha.Action);
            var pauseAt = _random.Next(events.Count + 1);
            var splits = Splits(events.Count);
            var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var watched = Enumerable.Range(0, _random.Next(1, 4)).Select(_ => WatchedEvent(Beta)).ToList();
            var reload = _random.Next(3) == 0;
            var late = _random.Next(2) == 0;
            _log.Add($"{Clock} interleaved: alpha snapshot ({alpha.Action}, {events.Count} events, paused after {pauseAt}){(reload ? ", reload" : string.Empty)}"
                + $"{(late ? ", a second passes" : string.Empty)}, beta watched: {string.Join("; ", watched.Select(Describe))}");
            alpha.Driver.Script = (_, cancellation) => Yielded(events, splits, -1, -1, null, (pauseAt, paused, resume.Task), cancellation);
            // Counted as the processor applies them: its start, its events, beta's, and the test's own items.
            var expected = _recorder.Count + 1 + pauseAt;
            var running = alpha.Runner.RunSnapshotAsync(alpha.Action, CancellationToken.None);
            await paused.Task.WaitAsync(Patience);
            await WaitRecordedAsync(expected);
            if (late)
            {
                // The probe has no transformer: once it is seen, everything before it is applied, and
                // the clock may move without changing what an apply reads.
                await _subject.Queue.EnqueueAsync(ProbeItem(), CancellationToken.None);
                await WaitRecordedAsync(++expected);
                _subject.Time.Advance(GraphProcessor.MaxPublishDelay);
                _recorder.Add(new ReferenceItem(null, GraphProcessor.MaxPublishDelay));
                expected++;
            }

            var held = reload ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
            if (held is not null)
            {
                // The processor waits on the recorder's call for this probe: the reload is queued, and
                // alpha's next batches are transformed ahead, before it applies.
                _recorder.Hold = held.Task;
                await _subject.Queue.EnqueueAsync(ProbeItem(), CancellationToken.None);
                await WaitRecordedAsync(++expected);
                _mapping++;
                var registry = Registry(_mapping, _alarmLinks);
                _recorder.Add(new ReferenceItem(Reconfigure(registry), TimeSpan.Zero));
                expected++;
                await _subject.Queue.EnqueueAsync(Reconfigure(registry), CancellationToken.None);
            }

            await EventBatcher.EnqueueAllAsync(Yielded(watched, Splits(watched.Count), -1, -1, null, null, CancellationToken.None), _subject.Queue,
                CancellationToken.None);
            resume.SetResult();
            if (held is not null)
            {
                // Alpha's batches are queued behind the reload (or wait for room in the queue: let it go on).
                await Task.WhenAny(running, Task.Delay(20));
                _recorder.Hold = null;
                held.SetResult();
            }

            (await running.WaitAsync(Patience)).ShouldBeTrue(Context("the interleaved snapshot completes"));
            alpha.Action = DatasourceAction.Snapshot;
            await FinishStepAsync(expected + (events.Count - pauseAt) + watched.Count + 1, liveness: true);
            CheckCompleteSnapshot(Alpha, _reference.Processor.Publisher.Current);
        }

        private async Task ReloadTransformersAsync()
        {
            _mapping++;
            _log.Add($"{Clock} reload: transformers m{_mapping}");
            var registry = Registry(_mapping, _alarmLinks);
            var recorded = _recorder.Count;
            _recorder.Add(new ReferenceItem(Reconfigure(registry), TimeSpan.Zero));
            var item = Reconfigure(registry);
            await _subject.Queue.EnqueueAsync(item, CancellationToken.None);
            await item.Replaced.Task.WaitAsync(Patience);
            await FinishStepAsync(recorded + 1, liveness: true);
        }

        // A reload disables the datasource: the scheduler stops its runner (part-way through a
        // snapshot, at random), then queues the removal.
        private async Task RemoveAsync(string ds)
        {
            var source = _sources[ds];
            _sources.Remove(ds);
            var cancelled = _random.Next(2) == 0;
            if (cancelled)
            {
                var events = SnapshotEvents(ds, source.Action);
                var stopAt = _random.Next(events.Count + 1);
                using var stop = new CancellationTokenSource();
                source.Driver.Script = (_, cancellation) => Yielded(events, Splits(events.Count), -1, stopAt, stop, null, cancellation);
                _log.Add($"{Clock} snapshot {ds} stopped after {stopAt} of {events.Count} events");
                try
                {
                    await source.Runner.RunSnapshotAsync(source.Action, stop.Token);
                    throw new ShouldAssertException(Context("the stopped snapshot ended"));
                }
                catch (OperationCanceledException)
                {
                    // the runner stops as the scheduler stops it: no end of the snapshot is queued
                }

                await _subject.Queue.DrainAsync(CancellationToken.None).WaitAsync(Patience); // whatever the runner queued is applied
            }

            _log.Add($"{Clock} remove {ds}");
            var recorded = _recorder.Count;
            _recorder.Add(new ReferenceItem(new DatasourceRemovedQueueItem(ds), TimeSpan.Zero));
            await _subject.Queue.EnqueueAsync(new DatasourceRemovedQueueItem(ds), CancellationToken.None);
            await _subject.Queue.DrainAsync(CancellationToken.None).WaitAsync(Patience);
            await FinishStepAsync(recorded + 1, liveness: false);
            var after = _reference.Processor.Publisher.Current;
            after.LiveVertices.Where(v => v.DatasourceName == ds).Select(v => v.Key).ShouldBeEmpty(Context($"{ds} removed: none of its vertices is live"));
        }

        private void ChangeWorld(string ds, int count)
        {
            var entities = _world.Values.Where(e => e.Datasource == ds).ToList();
            for (var i = 0; i < count; i++)
            {
                var entity = entities[_random.Next(entities.Count)];
                Change(entity);
                _log.Add($"{Clock} world: {entity}");
            }
        }

        private void Change(Entity entity)
        {
            if (entity.Exists && _random.Next(4) > 0)
            {
                entity.Revision++;
            }
            else
            {
                entity.Exists = !entity.Exists;
                entity.Revision++;
            }
        }

        // A change the watch reports: a new revision, an entity that appears, or one deleted.
        private DatasourceEvent WatchedEvent(string ds)
        {
            var entities = _world.Values.Where(e => e.Datasource == ds).ToList();
            var entity = entities[_random.Next(entities.Count)];
            if (_random.Next(4) > 0)
            {
                Change(entity);
            }

            // Sometimes late: read before what the graph holds (an older sample never wins).
            var sample = _random.Next(7) == 0 ? Now.AddSeconds(-_random.Next(1, 6)) : Now;
            return entity.Exists
                ? EventOf(entity, DatasourceAction.Update, sample)
                : new DatasourceEvent(entity.EntityType, DatasourceAction.Update, sample, ds,
                    JsonSerializer.SerializeToElement(new { Type = VertexType(entity), entity.Id, Deleted = true, Category = CategoryOf(entity) })) { EntityId = entity.Id };
        }

        // What a listing reads: every entity of the datasource, in a random order.
        private List<DatasourceEvent> SnapshotEvents(string ds, DatasourceAction action) =>
            [.. _world.Values.Where(e => e.Datasource == ds && e.Exists).OrderBy(_ => _random.Next()).Select(e => EventOf(e, action, Now))];

        // The entity's content is a function of its revision; its version names the revision (the
        // datasource's promise), but some events carry none, and some are bytes rather than an element.
        private DatasourceEvent EventOf(Entity entity, DatasourceAction action, DateTimeOffset sample)
        {
            var content = Content(entity);
            var versioned = _random.Next(10) > 0;
            var utf8 = _random.Next(2) == 0;
            var datasourceEvent = utf8
                ? DatasourceEvent.FromUtf8(entity.EntityType, action, sample, entity.Datasource, JsonSerializer.SerializeToUtf8Bytes(content))
                : new DatasourceEvent(entity.EntityType, action, sample, entity.Datasource, JsonSerializer.SerializeToElement(content));
            return datasourceEvent with { EntityId = entity.Id, EntityVersion = versioned ? "r" + entity.Revision.ToString(CultureInfo.InvariantCulture) : null };
        }

        private EventContent Content(Entity entity)
        {
            var random = new Random(StableHash(string.Create(CultureInfo.InvariantCulture, $"{_seed}|{entity.EntityType}|{entity.Id}|{entity.Revision}")));
            var neighbors = new List<string[]>();
            var alarms = new List<string?[]>();
            var properties = new Dictionary<string, string>(StringComparer.Ordinal);
            string name;
            string? state;
            switch (entity.EntityType)
            {
                case AlphaNode:
                    name = $"a{entity.Id}-{random.Next(3)}";
                    state = Pick(random, "Ready", "NotReady", "Unknown", null);
                    if (Pick(random, "p1", "p2", null) is { } project)
                    {
                        properties["project_id"] = project;
                    }

                    if (random.Next(4) == 0)
                    {
                        properties["vitrage_state"] = "NotReady"; // an evaluator's state, of higher priority than Ready
                    }

                    for (var i = random.Next(0, 3); i > 0; i--)
                    {
                        neighbors.Add(random.Next(3) switch
                        {
                            0 => [BetaHost, Id(random.Next(_betaHosts)), EdgeLabels.Contains, random.Next(2) == 0 ? "to" : "from"],
                            1 => [KnownEntityTypes.NovaInstance, Id(random.Next(3)), EdgeLabels.Contains, "to"],
                            _ => [AlphaNode, Id(random.Next(_alphaNodes)), EdgeLabels.Attached, "from"],
                        });
                    }

                    foreach (var (alarm, severity) in new[] { ("NotReady", "CRITICAL"), ("DiskPressure", "WARNING"), ("Cordoned", "INFO") })
                    {
                        if (random.Next(3) == 0)
                        {
                            alarms.Add([alarm, severity, random.Next(2) == 0 ? $"2025-12-31T00:00:{entity.Revision % 60:00}.000000Z" : null]);
                        }
                    }

                    // An alarm two nodes derive (one vertex, two owners in turn): each takes it over.
                    if (random.Next(4) == 0)
                    {
                        alarms.Add([SharedAlarm + random.Next(2).ToString(CultureInfo.InvariantCulture), "WARNING", null]);
                    }

                    break;
                case BetaHost:
                    name = $"b{entity.Id}-{random.Next(3)}";
                    state = Pick(random, "up", "down", null);
                    if (random.Next(2) == 0)
                    {
                        neighbors.Add(random.Next(2) == 0
                            ? [AlphaNode, Id(random.Next(_alphaNodes)), EdgeLabels.Contains, "from"]
                            : [KnownEntityTypes.NovaInstance, Id(random.Next(3)), EdgeLabels.On, "to"]);
                    }

                    if (random.Next(3) == 0)
                    {
                        alarms.Add(["Unreachable", Pick(random, "CRITICAL", "WARNING"), null]);
                    }

                    // An `on` edge from an alarm another vertex derives or reports, owned by the host.
                    if (random.Next(4) == 0)
                    {
                        neighbors.Add([AlarmType, BetaAlarmIds[random.Next(BetaAlarmIds.Length)], EdgeLabels.On, "to", EntityCategories.Alarm]);
                    }

                    break;
                case BetaAlarm:
                    name = $"direct-{random.Next(2)}";
                    state = "Active";
                    properties["severity"] = Pick(random, "CRITICAL", "INFO")!;
                    for (var i = random.Next(0, 3); i > 0; i--)
                    {
                        neighbors.Add(random.Next(3) switch
                        {
                            0 => [BetaHost, Id(random.Next(_betaHosts)), EdgeLabels.On, "from"],
                            _ => [AlphaNode, Id(random.Next(_alphaNodes)), EdgeLabels.On, "from"],
                        });
                    }

                    break;
                default:
                    name = "link";
                    state = null;
                    for (var i = random.Next(1, 3); i > 0; i--)
                    {
                        // contains: the very edge a host or the node itself may report (a takeover between owners)
                        neighbors.Add([BetaHost, Id(random.Next(_betaHosts)), random.Next(2) == 0 ? EdgeLabels.Connect : EdgeLabels.Contains, random.Next(2) == 0 ? "to" : "from"]);
                    }

                    break;
            }

            return new EventContent(VertexType(entity), entity.Id, name, state, properties, neighbors, alarms, CategoryOf(entity));
        }

        private static string? Pick(Random random, params string?[] values) => values[random.Next(values.Length)];

        private static string VertexType(Entity entity) => entity.EntityType switch
        {
            BetaLink => AlphaNode,
            BetaAlarm => AlarmType,
            _ => entity.EntityType,
        };

        private static string? CategoryOf(Entity entity) => entity.EntityType == BetaAlarm ? EntityCategories.Alarm : null;

        // Which events the driver yields after waiting (each such wait ends a batch).
        private bool[] Splits(int count) => [.. Enumerable.Range(0, count).Select(_ => _random.Next(4) == 0)];

        private async Task WaitRecordedAsync(int count)
        {
            if (!await _recorder.WaitForCountAsync(count, Patience))
            {
                throw new ShouldAssertException(Context($"the processor under test applied {_recorder.Count} items, not {count}, within {Patience.TotalSeconds} s"));
            }
        }

        /// <summary>
        /// The items the processor under test applied in this step go to the reference one at a
        /// time; then its publications are checked against the reference's graph after each.
        /// </summary>
        private async Task FinishStepAsync(int recorded, bool liveness)
        {
            await WaitRecordedAsync(recorded);
            var items = _recorder.From(_replayed);
            _replayed += items.Count;
            var prefixes = new List<string> { _referenceRender };
            foreach (var item in items)
            {
                if (item.Item is { } queued)
                {
                    await _reference.Queue.EnqueueAsync(queued, CancellationToken.None);
                    await _reference.Queue.DrainAsync(CancellationToken.None).WaitAsync(Patience);
                    prefixes.Add(Render(_reference.Processor.Publisher.Current));
                }

                _reference.Time.Advance(item.Advance);
            }

            _referenceRender = prefixes[^1];
            if (liveness)
            {
                // With no snapshot open, what was applied is published without a barrier's help.
                var published = await _subject.WaitForPublicationAsync(_referenceRender, Patience);
                await _subject.Queue.DrainAsync(CancellationToken.None).WaitAsync(Patience);
                if (!published)
                {
                    // A graph that differs says so below; one that is right but unpublished, here.
                    CheckCurrent();
                    throw new ShouldAssertException(Context("the processor under test did not publish what it applied within "
                        + $"{Patience.TotalSeconds} s, with no snapshot open (a barrier did)\n{Diff(_referenceRender, _subject.LastRender)}"));
                }
            }
            else
            {
                await _subject.Queue.DrainAsync(CancellationToken.None).WaitAsync(Patience);
            }

            var publications = _subject.PublicationsFrom(_publicationsSeen);
            _publicationsSeen += publications.Count;
            var at = 0;
            foreach (var publication in publications)
            {
                var match = prefixes.FindIndex(at, p => string.Equals(p, publication, StringComparison.Ordinal));
                if (match < 0)
                {
                    throw new ShouldAssertException(Context($"a published version is no state of the reference after {at} or more of this step's {items.Count} items\n"
                        + Diff(prefixes[^1], publication)));
                }

                at = match;
            }

            CheckCurrent();
        }

        private void CheckCurrent()
        {
            var current = Render(_subject.Processor.Publisher.Current);
            if (!string.Equals(current, _referenceRender, StringComparison.Ordinal))
            {
                throw new ShouldAssertException(Context("after the step, the processor under test's version is not the reference's\n" + Diff(_referenceRender, current)));
            }
        }

        // DESIGN.md §3: after a complete snapshot the datasource's live resources are exactly those it
        // reported, and their alarms exactly those their reports derive.
        private void CheckCompleteSnapshot(string ds, GraphVersion version)
        {
            var listed = _world.Values.Where(e => e.Datasource == ds && e.Exists && e.EntityType != BetaLink && e.EntityType != BetaAlarm).ToList();
            var contested = BetaAlarmIds.Select(id => EntityVertex.BuildKey(EntityCategories.Alarm, AlarmType, id)).ToHashSet(StringComparer.Ordinal);
            var resources = version.LiveVertices.Where(v => v.DatasourceName == ds && !v.IsPlaceholder && v.Category == EntityCategories.Resource)
                .Select(v => v.Key).Order(StringComparer.Ordinal).ToList();
            resources.ShouldBe(listed.Select(e => EntityVertex.BuildKey(EntityCategories.Resource, e.EntityType, e.Id)).Order(StringComparer.Ordinal).ToList(),
                Context($"{ds}'s live resources after its complete snapshot"));
            var alarms = version.LiveVertices.Where(v => v.DatasourceName == ds && v.Category == EntityCategories.Alarm && !contested.Contains(v.Key)).Select(v => v.Key).Order(StringComparer.Ordinal).ToList();
            alarms.ShouldBe(listed.SelectMany(e => Content(e).Alarms.Select(a => EntityVertex.BuildKey(EntityCategories.Alarm, AlarmType, AlarmId(e.EntityType, e.Id, a[0]!))))
                .Where(k => !contested.Contains(k)).Distinct().Order(StringComparer.Ordinal).ToList(), Context($"{ds}'s live alarms after its complete snapshot"));
        }

        // DESIGN.md §3: a failed snapshot deletes nothing (its events hold no delete; alarms may end and placeholders go with their edges).
        private void CheckNothingDeleted(GraphVersion before, GraphVersion after)
        {
            var gone = before.LiveVertices.Where(v => !v.IsPlaceholder && v.Category == EntityCategories.Resource)
                .Where(v => after.Find(v.Key) is not { IsDeleted: false }).Select(v => v.Key).ToList();
            gone.ShouldBeEmpty(Context("a failed snapshot deleted resources"));
        }

        private EventBatchQueueItem ProbeItem() =>
            new([new DatasourceEvent(Probe, DatasourceAction.Update, Now, Probe, JsonSerializer.SerializeToElement(new { }))]);

        public static ReconfigureQueueItem Reconfigure(TransformerRegistry registry) =>
            new(registry, null, Retention, new TaskCompletionSource<IReadOnlyList<IGraphOutput>>(TaskCreationOptions.RunContinuationsAsynchronously));

        private string Clock => ((int)(Now - Start).TotalSeconds).ToString(CultureInfo.InvariantCulture);

        private static string Describe(DatasourceEvent e) => e.IsEndOfSnapshot
            ? "end of snapshot"
            : $"{e.EntityType}:{e.EntityId} v={e.EntityVersion ?? "-"} at {(int)(e.SampleTime - Start).TotalSeconds}";

        private string Context(string what) =>
            $"seed {_seed}: {what}\nsteps (last 40):\n  {string.Join("\n  ", _log.TakeLast(40))}";

        public async ValueTask DisposeAsync()
        {
            await _subject.DisposeAsync();
            await _reference.DisposeAsync();
        }
    }

    private sealed class Source(DriverRunner runner, ScriptDriver driver)
    {
        public DriverRunner Runner { get; } = runner;

        public ScriptDriver Driver { get; } = driver;

        // A new runner's first snapshot is an INIT_SNAPSHOT until one completes.
        public DatasourceAction Action { get; set; } = DatasourceAction.InitSnapshot;
    }

    private sealed class Entity(string datasource, string entityType, string id)
    {
        public string Datasource { get; } = datasource;

        public string EntityType { get; } = entityType;

        public string Id { get; } = id;

        public bool Exists { get; set; }

        public int Revision { get; set; }

        public override string ToString() => $"{EntityType}:{Id} r{Revision}{(Exists ? string.Empty : " (gone)")}";
    }

    private sealed record EventContent(
        string Type, string Id, string Name, string? State, Dictionary<string, string> Props, List<string[]> Neighbors, List<string?[]> Alarms, string? Category = null);

    /// <summary>One step of the reference: a queue item, then how far its clock moves.</summary>
    private sealed record ReferenceItem(GraphQueueItem? Item, TimeSpan Advance);

    /// <summary>A processor on its own task, its clock, and what its publications showed.</summary>
    private sealed class Side : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _running;
        private readonly Lock _lock = new();
        private readonly List<string> _renders = [];
        private TaskCompletionSource _published = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Side(TransformerRegistry registry, TimeSpan publishWindow, TransformAhead? ahead, Microsoft.Extensions.Logging.ILogger logger, Recorder? recorder)
        {
            Time = new FakeTimeProvider(Start);
            Queue = new GraphQueue(256);
            Processor = new GraphProcessor(Queue, new EntityGraph(Time, Values), registry, recorder is null ? [] : [recorder], new GraphVersionPublisher(),
                Retention, Time, logger, publishWindow, ahead);

            // Rendered on the processor's task as it publishes: what a reader of the version saw then
            // (a refresh later moves sample times in place). The reference is read after each drain.
            if (recorder is not null)
            {
                Processor.Publisher.Published += version =>
                {
                    var render = Render(version);
                    lock (_lock)
                    {
                        _renders.Add(render);
                    }

                    Interlocked.Exchange(ref _published, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                };
            }

            _running = Task.Run(() => Processor.RunAsync(_stop.Token));
        }

        public FakeTimeProvider Time { get; }

        public GraphQueue Queue { get; }

        public GraphProcessor Processor { get; }

        public string LastRender
        {
            get
            {
                lock (_lock)
                {
                    return _renders.Count == 0 ? string.Empty : _renders[^1];
                }
            }
        }

        public List<string> PublicationsFrom(int index)
        {
            lock (_lock)
            {
                return _renders.Skip(index).ToList();
            }
        }

        public async Task<bool> WaitForPublicationAsync(string render, TimeSpan patience)
        {
            var deadline = DateTime.UtcNow + patience;
            while (true)
            {
                var signal = Volatile.Read(ref _published);
                if (string.Equals(LastRender, render, StringComparison.Ordinal))
                {
                    return true;
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || _running.IsCompleted)
                {
                    return false;
                }

                await Task.WhenAny(signal.Task, Task.Delay(left));
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _running;
            }
            catch (OperationCanceledException)
            {
                // stopped
            }

            _stop.Dispose();
        }
    }

    /// <summary>The output of the processor under test: every item it applied, in order, as the reference's items.</summary>
    private sealed class Recorder : IGraphOutput
    {
        private readonly Lock _lock = new();
        private readonly List<ReferenceItem> _items = [];
        private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "recorder";

        /// <summary>While set, the call for a probe waits for it (the processor with it).</summary>
        public Task? Hold { get; set; }

        public string? LastError => null;

        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return _items.Count;
                }
            }
        }

        /// <summary>Adds an item; the test adds its own (reloads, removals) only while the processor is idle.</summary>
        public void Add(ReferenceItem item)
        {
            lock (_lock)
            {
                _items.Add(item);
            }

            Interlocked.Exchange(ref _added, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        public List<ReferenceItem> From(int index)
        {
            lock (_lock)
            {
                return _items.Skip(index).ToList();
            }
        }

        public async Task<bool> WaitForCountAsync(int count, TimeSpan patience)
        {
            var deadline = DateTime.UtcNow + patience;
            while (true)
            {
                var signal = Volatile.Read(ref _added);
                if (Count >= count)
                {
                    return true;
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return false;
                }

                await Task.WhenAny(signal.Task, Task.Delay(left));
            }
        }

        // The reference gets each event alone and without its version: transformed and applied in full.
        public ValueTask OnEventAsync(DatasourceEvent datasourceEvent, CancellationToken cancellationToken)
        {
            var hold = datasourceEvent.EntityType == Probe ? Hold : null; // read first: once added, the test may set it for the next probe
            Add(new ReferenceItem(new EventBatchQueueItem([datasourceEvent with { EntityId = null, EntityVersion = null }]), TimeSpan.Zero));
            return hold is null ? ValueTask.CompletedTask : new ValueTask(hold);
        }

        public ValueTask OnSnapshotStartedAsync(string datasourceName, DateTimeOffset startedAt, CancellationToken cancellationToken)
        {
            Add(new ReferenceItem(new SnapshotStartedQueueItem(datasourceName, startedAt), TimeSpan.Zero));
            return ValueTask.CompletedTask;
        }

        public ValueTask OnSnapshotEndedAsync(string datasourceName, DateTimeOffset startedAt, bool complete, CancellationToken cancellationToken)
        {
            Add(new ReferenceItem(new SnapshotEndedQueueItem(datasourceName, startedAt, complete), TimeSpan.Zero));
            return ValueTask.CompletedTask;
        }

        public void OnGraphPublished(GraphVersion version)
        {
        }

        public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>A driver whose listing the test sets before each snapshot.</summary>
    private sealed class ScriptDriver : IDatasourceDriver
    {
        public Func<DatasourceAction, CancellationToken, IAsyncEnumerable<DatasourceEvent>> Script { get; set; } =
            (_, _) => AsyncEnumerable.Empty<DatasourceEvent>();

        public IAsyncEnumerable<DatasourceEvent> GetAllAsync(DatasourceAction action, CancellationToken cancellationToken) => Script(action, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>
    /// Yields <paramref name="events"/>, waiting before those <paramref name="splits"/> marks (the
    /// batch so far is queued then); fails before event <paramref name="failAt"/>, is stopped (its
    /// runner cancelled) before <paramref name="stopAt"/>, or pauses before <c>pause.At</c> until told to go on.
    /// </summary>
    private static async IAsyncEnumerable<DatasourceEvent> Yielded(
        IReadOnlyList<DatasourceEvent> events, bool[] splits, int failAt, int stopAt, CancellationTokenSource? stop,
        (int At, TaskCompletionSource Paused, Task Resume)? pause, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var i = 0; i <= events.Count; i++)
        {
            if (i == failAt)
            {
                throw new DatasourceException("the listing failed part-way");
            }

            if (i == stopAt && stop is not null)
            {
                await stop.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (pause is { } p && i == p.At)
            {
                p.Paused.TrySetResult();
                await p.Resume;
            }

            if (i == events.Count)
            {
                break;
            }

            if (splits[i])
            {
                await Task.Yield();
            }

            yield return events[i];
        }
    }

    /// <summary>Turns an event's content into a vertex, its neighbors and its alarms; <c>mapping</c> names the transformer's settings.</summary>
    private sealed class ItemTransformer(string mapping) : IEntityTransformer
    {
        public EntityUpdate Transform(DatasourceEvent datasourceEvent)
        {
            var content = datasourceEvent.Properties;
            var type = content.GetProperty("Type").GetString()!;
            var id = content.GetProperty("Id").GetString()!;
            var category = content.TryGetProperty("Category", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : EntityCategories.Resource;
            if (content.TryGetProperty("Deleted", out var deleted) && deleted.GetBoolean())
            {
                return new EntityUpdate(new EntityVertex(type, id) { Category = category }, [], GraphAction.Delete);
            }

            var properties = new Dictionary<string, object?>(StringComparer.Ordinal) { ["mapping"] = mapping };
            foreach (var property in content.GetProperty("Props").EnumerateObject())
            {
                properties[property.Name] = property.Value.GetString();
            }

            var neighbors = content.GetProperty("Neighbors").EnumerateArray().Select(n => new EntityNeighbor(
                new EntityVertex(n[0].GetString()!, n[1].GetString()!) { Category = n.GetArrayLength() > 4 ? n[4].GetString()! : EntityCategories.Resource }, n[2].GetString()!,
                n[3].GetString() == "to" ? EdgeDirection.ToVertex : EdgeDirection.FromVertex)).ToList();
            var alarms = content.GetProperty("Alarms").EnumerateArray().Select(a =>
            {
                var alarmProperties = new Dictionary<string, object?>(StringComparer.Ordinal) { ["severity"] = a[1].GetString(), ["mapping"] = mapping };
                if (a[2].ValueKind == JsonValueKind.String)
                {
                    alarmProperties["start_timestamp"] = a[2].GetString();
                }

                return new EntityNeighbor(new EntityVertex(AlarmType, AlarmId(datasourceEvent.EntityType, id, a[0].GetString()!))
                {
                    Category = EntityCategories.Alarm,
                    Name = a[0].GetString(),
                    State = "Active",
                    Properties = alarmProperties,
                }, EdgeLabels.On, EdgeDirection.ToVertex);
            }).ToList();
            var vertex = new EntityVertex(type, id)
            {
                Category = category,
                Name = content.GetProperty("Name").GetString(),
                State = content.GetProperty("State").GetString(),
                Properties = properties,
            };
            return new EntityUpdate(vertex, neighbors, datasourceEvent.Action == DatasourceAction.Update ? GraphAction.Update : GraphAction.Create)
            {
                Derived = alarms,
            };
        }
    }

    private static string AlarmId(string entityType, string entityId, string alarmName) =>
        alarmName.StartsWith(SharedAlarm, StringComparison.Ordinal) ? alarmName : $"{entityType}/{entityId}/{alarmName}";

    private static TransformerRegistry Registry(int mapping, bool alarmLinks = false)
    {
        var transformer = new ItemTransformer("m" + mapping.ToString(CultureInfo.InvariantCulture));
        var alpha = new Dictionary<string, IEntityTransformer> { [AlphaNode] = transformer };
        if (alarmLinks)
        {
            alpha[AlarmType] = transformer; // alpha owns the alarm type: beta's alarm events only link
        }

        return new TransformerRegistry(
        [
            (Alpha, alpha),
            (Beta, new Dictionary<string, IEntityTransformer> { [BetaHost] = transformer, [BetaLink] = transformer, [BetaAlarm] = transformer }),
        ]);
    }

    // Vitrage's values: alpha's nodes and the alarms have files, beta's hosts none (undefined datasource), Nova's the default.
    private static readonly DatasourceValues Values = new(
        new Dictionary<string, ValuesFile>(StringComparer.Ordinal)
        {
            [AlphaNode] = new(AlphaNode, EntityCategories.Resource, "(test)",
                new Dictionary<string, MappedValue> { ["READY"] = new("OK", 10), ["NOTREADY"] = new("ERROR", 30) }),
            [AlarmType] = new(AlarmType, EntityCategories.Alarm, "(test)",
                new Dictionary<string, MappedValue> { ["CRITICAL"] = new("CRITICAL", 40), ["WARNING"] = new("WARNING", 30), ["INFO"] = new("OK", 10) }),
            [DatasourceValues.DefaultType] = new(DatasourceValues.DefaultType, EntityCategories.Resource, "(test)",
                new Dictionary<string, MappedValue> { ["UP"] = new("OK", 10), ["DOWN"] = new("ERROR", 30) }),
        },
        new HashSet<string>([AlphaNode, BetaHost, BetaLink], StringComparer.Ordinal));

    private static DatasourceConfiguration Configuration(string ds) =>
        new(new LoadedPlugin(new NamedPlugin(ds), $"/plugins/{ds}/{ds}.dll", "1.0"), new DatasourceSettings(new Dictionary<string, object?>()),
            TimeSpan.FromMinutes(10), UpdateMethod.None, TimeSpan.FromSeconds(30));

    private sealed class NamedPlugin(string name) : IDatasourcePlugin
    {
        public string Name => name;

        public IReadOnlyList<OptionDefinition> Options => [];

        public IReadOnlyDictionary<string, IEntityTransformer> CreateTransformers(DatasourceSettings settings) => new Dictionary<string, IEntityTransformer>();

        public IDatasourceDriver CreateDriver(DatasourceContext context) => throw new NotSupportedException();
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }

    /// <summary>
    /// A version as readers see it: every vertex with its properties, values, alarm details and
    /// edges. A live resource's update_timestamp is left out: the reference applies every event in
    /// full, which moves it, where the processor keeps it for an unchanged entity (its purpose);
    /// a deleted vertex's (what the purge reads), a placeholder's and an alarm's are compared.
    /// </summary>
    private static string Render(GraphVersion version)
    {
        var text = new StringBuilder();
        foreach (var v in version.Vertices.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var updated = !v.IsDeleted && !v.IsPlaceholder && (v.Category == EntityCategories.Resource || (v.Category == EntityCategories.Alarm && v.DatasourceName == Beta))
                ? "-" : Seconds(v.UpdateTimestamp);
            text.Append(CultureInfo.InvariantCulture,
                $"{v.Key} id={v.VitrageId} {v.Category}/{v.Type}/{v.Id} name={v.Name ?? "-"} state={v.State ?? "-"} deleted={v.IsDeleted} placeholder={v.IsPlaceholder} ds={v.DatasourceName ?? "-"} sample={Seconds(v.SampleTimestamp)} updated={updated}");
            text.Append(CultureInfo.InvariantCulture, $" values={v.OperationalValue ?? "-"}/{v.AggregatedValue ?? "-"}");
            if (v.Alarm is { } alarm)
            {
                text.Append(CultureInfo.InvariantCulture, $" alarm={alarm.StartTimestamp}|{alarm.ResourceVitrageId ?? "-"}|{alarm.ResourceType ?? "-"}|{alarm.ResourceProjectId ?? "-"}");
            }

            text.Append(" {").AppendJoin(", ", v.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Text(p.Value)}")).Append("}\n");
            foreach (var e in v.Edges.Select(e => $"{e.SourceKey} {e.RelationshipType} {e.TargetKey} deleted={e.IsDeleted} updated={Seconds(e.UpdateTimestamp)}")
                .Order(StringComparer.Ordinal))
            {
                text.Append("  ").Append(v.Key).Append(" edge ").Append(e).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Seconds(DateTimeOffset time) => ((long)(time - Start).TotalSeconds).ToString(CultureInfo.InvariantCulture);

    private static string Text(object? value) => value switch
    {
        null => "null",
        string s => s,
        JsonElement element => element.GetRawText(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?",
    };

    // The lines only one side has (each line names its vertex): enough to read, not the whole graph.
    private static string Diff(string expected, string actual)
    {
        var left = expected.Split('\n').ToHashSet(StringComparer.Ordinal);
        var right = actual.Split('\n').ToHashSet(StringComparer.Ordinal);
        return "reference (-) / processor under test (+):\n"
            + string.Join("\n", left.Where(l => !right.Contains(l)).Take(20).Select(l => "- " + l)
                .Concat(right.Where(r => !left.Contains(r)).Take(20).Select(r => "+ " + r)));
    }
}
