using Microsoft.Extensions.Logging;
using PluginHost.Configuration;
using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.Logging;
using PluginHost.Operations;
using PluginHost.Outputs;
using PluginHost.States;

namespace PluginHost.Scheduling;

/// <summary>
/// Wires a validated configuration into a running pipeline: drivers → queue → processor → graph
/// versions → outputs. Used by <c>run</c> (scheduled), <c>snapshot</c> and <c>demo</c> (once);
/// <c>check-config</c> only creates and closes the drivers (<see cref="Check"/>).
/// The processor task is watched: if it ever dies, every wait on it ends with its error instead
/// of hanging, and stopping is bounded by <c>[plugin_host] shutdown_timeout</c>.
/// </summary>
internal sealed class DatasourceScheduler : IAsyncDisposable
{
    private readonly GraphQueue _queue;
    private readonly TransformAhead _transformAhead;
    private readonly GraphProcessor _processor;
    private readonly Task _processing;
    private readonly CancellationTokenSource _processorStop = new();
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private readonly object _slotsLock = new();
    private readonly Dictionary<string, RunnerSlot> _slots = new(StringComparer.Ordinal);
    private IReadOnlyList<IGraphOutput> _outputs;
    private TransformerRegistry _registry;
    private HostConfiguration _configuration;
    private CancellationToken _running = new(canceled: true);
    private bool _disposed;

    private DatasourceScheduler(
        HostConfiguration configuration, GraphQueue queue, GraphProcessor processor, IReadOnlyList<IGraphOutput> outputs,
        IReadOnlyList<DriverRunner> runners, ILoggerFactory loggerFactory, TimeProvider time, TransformerRegistry registry,
        TransformAhead transformAhead)
    {
        _configuration = configuration;
        _transformAhead = transformAhead;
        _registry = registry;
        _queue = queue;
        _processor = processor;
        _outputs = outputs;
        _loggerFactory = loggerFactory;
        _time = time;
        _logger = loggerFactory.CreateLogger("PluginHost");
        foreach (var runner in runners)
        {
            _slots[runner.Name] = new RunnerSlot(runner);
        }

        _processing = Task.Run(() => RunProcessorAsync(_processorStop.Token));
    }

    /// <summary>The datasources running now (a reload may change them).</summary>
    public IReadOnlyList<DriverRunner> Runners
    {
        get
        {
            lock (_slotsLock)
            {
                return _slots.Values.Select(s => s.Runner).ToList();
            }
        }
    }

    public IReadOnlyList<IGraphOutput> Outputs => Volatile.Read(ref _outputs);

    /// <summary>Datasources whose loop ended although the host is not stopping (a bug in a runner).</summary>
    public IReadOnlyList<string> DeadRunners
    {
        get
        {
            lock (_slotsLock)
            {
                return _running.IsCancellationRequested ? [] : _slots.Values.Where(s => s.Started && s.Task.IsCompleted).Select(s => s.Runner.Name).ToList();
            }
        }
    }

    /// <summary>Events waiting in the graph queue (in batches of up to 32).</summary>
    public int QueuedBatches => _queue.Reader.Count;

    /// <summary>Whether the graph processor died (a bug); <c>run</c> then exits with code 1.</summary>
    public bool ProcessorFailed => _processing.IsFaulted;

    /// <summary>Only read it after <see cref="DrainAsync"/> or when stopped: the processor owns it.</summary>
    public EntityGraph Graph => _processor.Graph;

    /// <summary>The published graph versions; readable from any thread at any time.</summary>
    public GraphVersionPublisher Versions => _processor.Publisher;

    /// <summary>
    /// The enabled datasources the published graph still waits for, by name: none of their complete
    /// snapshots is in it, and either one of them is still reading its first snapshot or no datasource
    /// has one in the graph. A datasource whose snapshots only failed so far (its cluster unreachable,
    /// its broker down) does not hold back a graph another datasource's snapshot is in: one failing
    /// plugin never stops the others (Vitrage's graph is ready once each driver's first get_all was
    /// tried, entity_graph/driver_exec.py); with all of them failing the graph is empty, which reads
    /// as an empty cloud. By the graph, not the runners' counts: a runner counts its snapshot before
    /// the processor has published it, and a driver a reload made again counts from zero while its
    /// entities are all there. The API's reads and status, and /readyz, go by this.
    /// </summary>
    public IReadOnlyList<DriverRunner> GraphWaitsFor()
    {
        var snapshotted = Versions.Snapshotted;
        var enabled = Runners;
        var missing = enabled.Where(r => !snapshotted.Contains(r.Name)).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var firstStillBeingRead = missing.Any(r => r.Status.Current.FailedSnapshots == 0);
        var anyInTheGraph = missing.Count < enabled.Count;
        return firstStillBeingRead || !anyInTheGraph ? missing : [];
    }

    /// <summary>
    /// Creates every enabled datasource's driver. A plugin whose configuration is unusable throws
    /// <see cref="ConfigException"/> (exit 2); a plugin that fails otherwise is logged and left out.
    /// With <paramref name="writeOutputs"/> false (the <c>snapshot</c> verb without
    /// <c>--write-outputs</c>), graph_file, event_log and notifications are left alone.
    /// <paramref name="memoryRelease"/> (<c>run</c>'s) runs after each complete snapshot. With
    /// <paramref name="publishWhileSnapshotsOpen"/> false (<c>snapshot</c>) a version is published only
    /// once no snapshot is open, not every <see cref="GraphProcessor.MaxPublishDelay"/> during one, and
    /// a version's lookups by vitrage_id and by resource value are made only if something reads them.
    /// </summary>
    public static DatasourceScheduler Create(
        HostConfiguration configuration,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        bool writeOutputs = true,
        IReadOnlyList<IGraphOutput>? extraOutputs = null,
        MemoryRelease? memoryRelease = null,
        bool publishWhileSnapshotsOpen = true)
    {
        // What orders the graph must never go back, whatever the wall clock does.
        time = SteadyClock.Wrap(time);
        var logger = loggerFactory.CreateLogger("PluginHost");
        var registry = CreateRegistry(configuration, logger);
        var queue = new GraphQueue(configuration.Host.QueueCapacity);
        var transformAhead = new TransformAhead(registry);
        var backoff = new RetryBackoff(configuration.Host.RetryInitialDelay, configuration.Host.RetryMaxDelay);
        // Each runner's backoff is its own: one failing datasource never slows another's retries.
        var runners = CreateDrivers(configuration, loggerFactory, time, logger)
            .Select(d => new DriverRunner(d.Datasource, d.Driver, queue, time, backoff, d.Logger, transformAhead))
            .ToList();
        var outputs = writeOutputs ? OutputFactory.Create(configuration.Host, loggerFactory, time,
            datasources: ([.. configuration.Datasources.Select(d => d.Name)], [.. configuration.Catalog.Plugins.Select(p => p.Name)])) : [];
        outputs.AddRange(extraOutputs ?? []);
        var values = LoadValues(configuration, registry, logger);
        var processor = new GraphProcessor(queue, new EntityGraph(time, values, lookupsWhenRead: !publishWhileSnapshotsOpen), registry, outputs, new GraphVersionPublisher(),
            configuration.Host.DeletedEntityRetention, time, logger, transformAhead: transformAhead, memoryRelease: memoryRelease,
            publishWhileSnapshotsOpen: publishWhileSnapshotsOpen);
        return new DatasourceScheduler(configuration, queue, processor, outputs, runners, loggerFactory, time, registry, transformAhead);
    }

    /// <summary>
    /// <c>check-config</c>: what <see cref="Create"/> checks, in the same order and with the same
    /// log lines (the transformers, every enabled datasource's driver, the datasource values), without
    /// the queue, graph, processor and outputs a check never uses; the drivers are closed again within
    /// <c>shutdown_timeout</c>. An unusable datasource throws <see cref="ConfigException"/> as Create does.
    /// </summary>
    /// <returns>The datasources that would run: those left out (logged) are not among them.</returns>
    public static IReadOnlyList<string> Check(HostConfiguration configuration, ILoggerFactory loggerFactory, TimeProvider time)
    {
        var logger = loggerFactory.CreateLogger("PluginHost");
        var registry = CreateRegistry(configuration, logger);
        var drivers = CreateDrivers(configuration, loggerFactory, time, logger);
        try
        {
            LoadValues(configuration, registry, logger);
            return drivers.Select(d => d.Datasource.Name).ToList();
        }
        finally
        {
            ShutdownSteps.CloseDrivers(drivers, configuration.Host.ShutdownTimeout, logger);
        }
    }

    /// <summary>
    /// Every enabled datasource's driver. A datasource whose configuration is unusable makes it close
    /// the drivers created so far and throw <see cref="ConfigException"/> with every such error; one
    /// that fails otherwise is logged and left out.
    /// </summary>
    private static List<(DatasourceConfiguration Datasource, IDatasourceDriver Driver, ILogger Logger)> CreateDrivers(
        HostConfiguration configuration, ILoggerFactory loggerFactory, TimeProvider time, ILogger logger)
    {
        var drivers = new List<(DatasourceConfiguration, IDatasourceDriver, ILogger)>();
        var errors = new List<string>();
        // With [datasources] types empty every plugin found is enabled; one that cannot work with the
        // settings it has (no kubeconfig, no static folder) is then left out with a warning, not an error.
        var implicitlyEnabled = configuration.Host.EnabledTypes.Count == 0;
        foreach (var datasource in configuration.Datasources)
        {
            try
            {
                drivers.Add(CreateDriver(datasource, loggerFactory, time));
            }
            catch (DatasourceConfigurationException e) when (implicitlyEnabled)
            {
                logger.LogWarning("Datasource {Datasource} is left out ([datasources] types is empty, so it was only tried): {Message}",
                    datasource.Name, LogText.Escape(e.Message));
            }
            catch (DatasourceConfigurationException e)
            {
                // Plugins often name their section themselves ("[kubernetes] config_file ..."): once is enough.
                var message = LogText.Escape(e.Message);
                errors.Add(message.StartsWith($"[{datasource.Name}]", StringComparison.Ordinal) ? message : $"[{datasource.Name}] {message}");
            }
            catch (ConfigException e)
            {
                errors.AddRange(e.Errors);
            }
#pragma warning disable CA1031 // one broken plugin must not stop the others
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogError(e, "Datasource {Datasource} could not start and is left out: {Message}", datasource.Name, LogText.Escape(e.Message));
            }
        }

        if (errors.Count > 0)
        {
            ShutdownSteps.CloseDrivers(drivers, configuration.Host.ShutdownTimeout, logger);
            throw new ConfigException(errors);
        }

        return drivers;
    }

    /// <summary>
    /// Vitrage's datasource values: the operator's folder first, then what each plugin ships, then the
    /// host's own default. A file with an error is logged and skipped; the host goes on.
    /// </summary>
    private static DatasourceValues LoadValues(HostConfiguration configuration, TransformerRegistry registry, ILogger logger)
    {
        var folders = new List<string> { configuration.Host.DatasourcesValuesDir };
        folders.AddRange(configuration.Catalog.Plugins.Select(p => Path.Combine(p.Folder, DatasourceValuesLoader.FolderName)));
        folders.Add(DatasourceValuesLoader.HostFolder);
        var loaded = DatasourceValuesLoader.Load(folders, registry.EntityTypes);
        foreach (var error in loaded.Errors)
        {
            logger.LogError("Datasource values: {Error}", LogText.Escape(error));
        }

        var undefined = registry.EntityTypes.Where(t => !loaded.Values.Files.ContainsKey(t)).Order(StringComparer.Ordinal).ToList();
        logger.LogInformation("Datasource values for {Count} types ({Folders}){Undefined}", loaded.Values.Files.Count,
            string.Join(", ", loaded.Values.Files.Values.Select(f => Path.GetDirectoryName(f.Path)).Distinct()),
            undefined.Count == 0 ? string.Empty : $"; no values file for the datasource types {string.Join(", ", undefined)} (a vertex of such a type is \"undefined datasource\", as in Vitrage)");
        return loaded.Values;
    }

    /// <param name="previous">On a reload, the running transformers: a plugin whose new settings cannot make
    /// transformers (a broken alarms file) keeps its running ones rather than lose its entities.</param>
    private static TransformerRegistry CreateRegistry(HostConfiguration configuration, ILogger logger, TransformerRegistry? previous = null)
    {
        var created = new List<(string, IReadOnlyDictionary<string, IEntityTransformer>)>();
        foreach (var plugin in configuration.Catalog.Plugins)
        {
            try
            {
                created.Add((plugin.Name, plugin.Instance.CreateTransformers(configuration.PluginSettings[plugin.Name])));
            }
            catch (DatasourceConfigurationException e) when (previous?.TransformersOf(plugin.Name) is { Count: > 0 } running)
            {
                logger.LogError("Plugin {Plugin} keeps its running transformers: its new settings cannot be used: {Message}", plugin.Name, LogText.Escape(e.Message));
                created.Add((plugin.Name, running));
            }
#pragma warning disable CA1031 // a plugin whose transformers fail to build is left out, the others work
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogError(e, "Plugin {Plugin} could not create its transformers; its entity types are skipped", plugin.Name);
            }
        }

        return new TransformerRegistry(created);
    }

    private static (DatasourceConfiguration Datasource, IDatasourceDriver Driver, ILogger Logger) CreateDriver(
        DatasourceConfiguration datasource, ILoggerFactory loggerFactory, TimeProvider time)
    {
        var context = new DatasourceContext(
            datasource.Name, datasource.Settings, new EscapingLogger(loggerFactory.CreateLogger($"PluginHost.Datasources.{datasource.Name}")), time)
        {
            Instance = datasource.Instance,
        };
        var driver = datasource.Plugin.Instance.CreateDriver(context);
        if (datasource.UpdateMethod != UpdateMethod.None && driver is not IChangesDriver)
        {
            driver.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
            throw new ConfigException(
                $"[{datasource.Plugin.Name}] update_method = {datasource.UpdateMethod.ToString().ToLowerInvariant()}: this datasource only supports none");
        }

        return (datasource with { DriverFiles = StampDriverFiles(driver) }, driver, context.Logger);
    }

    // The files the driver just read once, as they are now: a reload compares them (ConfigurationDiff.EditedFiles).
    private static Dictionary<string, FileStamp?> StampDriverFiles(IDatasourceDriver driver)
    {
        var stamps = new Dictionary<string, FileStamp?>(StringComparer.Ordinal);
        if (driver is IDriverFiles files)
        {
            foreach (var path in files.Files)
            {
                stamps[path] = FileStamp.Of(path);
            }
        }

        return stamps;
    }

    private async Task RunProcessorAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _processor.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopped before the queue drained (shutdown timeout)
        }
        catch (Exception e)
        {
            // A bug in the graph: fail fast and loudly rather than let the datasources wait on a full queue.
            _logger.LogCritical(e, "The graph processor failed; the host stops");
            var failure = new InvalidOperationException("the graph processor failed", e); // faulted, even for an OperationCanceledException
            _queue.Complete(failure);
            throw failure;
        }
    }

    /// <summary>Runs every datasource on its schedule until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <exception cref="InvalidOperationException">The graph processor failed.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _logger.LogInformation("Running datasources: {Datasources}", string.Join(", ", Runners.Select(r => r.Name)));
        lock (_slotsLock)
        {
            _running = cancellationToken;
            foreach (var slot in _slots.Values)
            {
                slot.Start(cancellationToken);
            }
        }

        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (cancellationToken.Register(() => stopped.TrySetResult()))
        {
            await WatchProcessorAsync(stopped.Task).ConfigureAwait(false);
        }

        await _reloading.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            List<Task> running;
            lock (_slotsLock)
            {
                running = _slots.Values.Select(s => s.Task).ToList();
            }

            await Task.WhenAll(running).ConfigureAwait(false);
        }
        finally
        {
            _reloading.Release();
        }
    }

    /// <summary>
    /// Applies a reloaded configuration (SIGHUP) to the running pipeline: intervals, log level,
    /// enabled datasources (a disabled one's entities are deleted), changed datasource settings (its
    /// driver is created again), transformer settings and outputs. What only a restart can change
    /// is logged as such. Returns what changed, one line each.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReloadAsync(HostConfiguration next, CancellationToken cancellationToken)
    {
        await _reloading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _configuration;
            var changes = new List<string>();
            foreach (var (what, before, after) in ConfigurationDiff.RestartOnly(current.Host, next.Host))
            {
                changes.Add($"{what} changed from {before} to {after}: it takes effect after a restart");
            }

            if (current.Host.ShutdownTimeout != next.Host.ShutdownTimeout)
            {
                Cli.ProcessSignals.ShutdownTimeout = next.Host.ShutdownTimeout;
                changes.Add($"shutdown_timeout: {current.Host.ShutdownTimeout.TotalSeconds} s -> {next.Host.ShutdownTimeout.TotalSeconds} s");
            }

            changes.AddRange(Cli.HostLogging.Apply(current.Host.Logging, next.Host.Logging));

            await ReconfigureProcessorAsync(current, next, changes, cancellationToken).ConfigureAwait(false);
            await ReconcileDatasourcesAsync(current, next, changes, cancellationToken).ConfigureAwait(false);
            _configuration = next with { Host = ConfigurationDiff.KeepRestartOnly(current.Host, next.Host) };
            return changes;
        }
        finally
        {
            _reloading.Release();
        }
    }

    private async Task ReconfigureProcessorAsync(HostConfiguration current, HostConfiguration next, List<string> changes, CancellationToken cancellationToken)
    {
        var transformersChanged = !ConfigurationDiff.SameTransformerSettings(current.PluginValues, next.PluginValues);
        var outputsChanged = ConfigurationDiff.OutputsDiffer(current.Host, next.Host);
        if (!transformersChanged && !outputsChanged && current.Host.DeletedEntityRetention == next.Host.DeletedEntityRetention)
        {
            return;
        }

        var registry = transformersChanged ? CreateRegistry(next, _logger, _registry) : null;
        _registry = registry ?? _registry;
        // The new alarm history writes after the old outputs are flushed (or given up on), never before.
        var oldFlushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var outputs = outputsChanged ? OutputFactory.Create(next.Host, _loggerFactory, _time, reload: true, previousFlushed: oldFlushed.Task) : null;
            var replaced = new TaskCompletionSource<IReadOnlyList<IGraphOutput>>(TaskCreationOptions.RunContinuationsAsynchronously);
            await _queue.EnqueueAsync(new ReconfigureQueueItem(registry, outputs, next.Host.DeletedEntityRetention, replaced), cancellationToken)
                .ConfigureAwait(false);
            var old = await replaced.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (outputs is not null)
            {
                Volatile.Write(ref _outputs, outputs);
                changes.Add($"outputs: {Describe(old)} -> {Describe(outputs)}");
                using var deadline = new CancellationTokenSource(next.Host.ShutdownTimeout);

                // All at once: one output that cannot finish (a locked history, a broker away) must not
                // use up the time of the others, as it did when they went one after the other.
                await Task.WhenAll(old.Select(async output =>
                {
                    await BoundedAsync($"flushing output {output.Name}", () => output.FlushAsync(deadline.Token), deadline.Token).ConfigureAwait(false);
                    await BoundedAsync($"closing output {output.Name}", () => output.DisposeAsync().AsTask(), deadline.Token).ConfigureAwait(false);
                })).ConfigureAwait(false);
            }
        }
        finally
        {
            oldFlushed.TrySetResult();
        }

        if (transformersChanged)
        {
            changes.Add("transformer settings of one or more plugins: applied from the next event");
        }
    }

    private static string Describe(IReadOnlyList<IGraphOutput> outputs) => outputs.Count == 0 ? "none" : string.Join(", ", outputs.Select(o => o.Name));

    private async Task ReconcileDatasourcesAsync(HostConfiguration current, HostConfiguration next, List<string> changes, CancellationToken cancellationToken)
    {
        var wanted = next.Datasources.ToDictionary(d => d.Name, StringComparer.Ordinal);
        var backoff = new RetryBackoff(next.Host.RetryInitialDelay, next.Host.RetryMaxDelay);
        List<RunnerSlot> existing;
        lock (_slotsLock)
        {
            existing = _slots.Values.ToList();
        }

        foreach (var slot in existing)
        {
            var before = slot.Runner.Configuration;
            if (!wanted.TryGetValue(slot.Runner.Name, out var after))
            {
                await StopSlotAsync(slot, next.Host.ShutdownTimeout).ConfigureAwait(false);
                await _queue.EnqueueAsync(new DatasourceRemovedQueueItem(slot.Runner.Name), cancellationToken).ConfigureAwait(false);
                changes.Add($"datasource {slot.Runner.Name} disabled: stopped, its entities deleted");
            }
            else if (ConfigurationDiff.OnlyIntervalsDiffer(before, after))
            {
                if (before.SnapshotsInterval != after.SnapshotsInterval || before.ChangesInterval != after.ChangesInterval)
                {
                    slot.Runner.Reconfigure(after with { DriverFiles = before.DriverFiles }); // the driver made then goes on
                    changes.Add($"datasource {after.Name}: snapshots_interval {before.SnapshotsInterval.TotalSeconds} s -> {after.SnapshotsInterval.TotalSeconds} s, changes_interval {before.ChangesInterval.TotalSeconds} s -> {after.ChangesInterval.TotalSeconds} s");
                }
            }
            else
            {
                // Settings the driver was created with changed: create it again (its entities stay,
                // the new driver's first snapshot brings them up to date).
                if (TryCreateRunner(after, backoff, changes) is { } replacement)
                {
                    await StopSlotAsync(slot, next.Host.ShutdownTimeout).ConfigureAwait(false);
                    StartSlot(replacement);
                    var edited = ConfigurationDiff.SameValues(before.Values, after.Values, HostOptionCatalog.SnapshotsInterval, HostOptionCatalog.ChangesInterval)
                        ? ConfigurationDiff.EditedFiles(before, after)
                        : [];
                    changes.Add(edited.Count > 0
                        ? $"datasource {after.Name}: {LogText.Escape(string.Join(", ", edited))} changed, its driver was created again"
                        : $"datasource {after.Name}: settings changed, its driver was created again");
                }
            }
        }

        foreach (var added in next.Datasources.Where(d => existing.All(s => s.Runner.Name != d.Name)))
        {
            if (TryCreateRunner(added, backoff, changes) is { } runner)
            {
                StartSlot(runner);
                changes.Add($"datasource {added.Name} enabled");
            }
        }
    }

    private DriverRunner? TryCreateRunner(DatasourceConfiguration datasource, RetryBackoff backoff, List<string> changes)
    {
        try
        {
            var (stamped, driver, logger) = CreateDriver(datasource, _loggerFactory, _time);
            return new DriverRunner(stamped, driver, _queue, _time, backoff, logger, _transformAhead);
        }
        catch (Exception e) when (e is DatasourceConfigurationException or ConfigException)
        {
            changes.Add($"datasource {datasource.Name} kept as it was: its new settings cannot be used: {LogText.Escape(e.Message)}");
        }
#pragma warning disable CA1031 // a plugin failing to start is reported; the rest of the reload goes on
        catch (Exception e)
#pragma warning restore CA1031
        {
            changes.Add($"datasource {datasource.Name} kept as it was: it could not start: {LogText.Escape(e.Message)}");
        }

        return null;
    }

    private void StartSlot(DriverRunner runner)
    {
        var slot = new RunnerSlot(runner);
        lock (_slotsLock)
        {
            _slots[runner.Name] = slot;
            if (!_running.IsCancellationRequested)
            {
                slot.Start(_running);
            }
        }
    }

    private async Task StopSlotAsync(RunnerSlot slot, TimeSpan timeout)
    {
        lock (_slotsLock)
        {
            _slots.Remove(slot.Runner.Name);
        }

        using var deadline = new CancellationTokenSource(timeout);
        await BoundedAsync($"stopping datasource {slot.Runner.Name}", slot.StopAsync, deadline.Token).ConfigureAwait(false);
        await BoundedAsync($"closing datasource {slot.Runner.Name}", () => slot.Runner.Driver.DisposeAsync().AsTask(), deadline.Token).ConfigureAwait(false);
    }

    /// <summary>One snapshot of every datasource, concurrently; returns the names of those that failed.</summary>
    public async Task<IReadOnlyList<string>> SnapshotOnceAsync(CancellationToken cancellationToken)
    {
        var snapshots = Task.WhenAll(Runners.Select(async r =>
            (r.Name, Ok: await r.RunSnapshotAsync(DatasourceAction.InitSnapshot, cancellationToken).ConfigureAwait(false))));
        var results = await WatchProcessorAsync(snapshots).ConfigureAwait(false);
        await DrainAsync(cancellationToken).ConfigureAwait(false);
        return results.Where(r => !r.Ok).Select(r => r.Name).ToList();
    }

    /// <summary>Waits until every queued event is applied to <see cref="Graph"/> and published.</summary>
    public Task DrainAsync(CancellationToken cancellationToken) => WatchProcessorAsync(_queue.DrainAsync(cancellationToken));

    // The processor dying ends any wait on the pipeline with its error.
    private async Task WatchProcessorAsync(Task work)
    {
        await Task.WhenAny(work, _processing).ConfigureAwait(false);

        // A dead processor also makes the work fail (its queue is closed): report the cause.
        if (_processing.IsFaulted || (_processing.IsCompleted && !work.IsCompleted))
        {
            throw new InvalidOperationException("the graph processor stopped", _processing.Exception?.InnerException);
        }

        await work.ConfigureAwait(false);
    }

    private async Task<T> WatchProcessorAsync<T>(Task<T> work)
    {
        await WatchProcessorAsync((Task)work).ConfigureAwait(false);
        return await work.ConfigureAwait(false);
    }

    /// <summary>
    /// Applies what is queued, then flushes and closes outputs and drivers, all within
    /// <c>shutdown_timeout</c>; what is not done by then is abandoned (and logged).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        using var deadline = new CancellationTokenSource(_configuration.Host.ShutdownTimeout);
        _queue.Complete();
        await BoundedAsync("applying the queued events", () => _processing, deadline.Token).ConfigureAwait(false);
        await _processorStop.CancelAsync().ConfigureAwait(false);
        var outputs = Outputs;

        // All at once, each output flushed then closed: one that cannot finish (a locked history, a
        // broker away) must not use up the time of the others; one after the other, a locked alarm
        // history left the notifications no time to flush and the other outputs none to close.
        var closing = outputs.Select(async output =>
            {
                await BoundedAsync($"flushing output {output.Name}", () => output.FlushAsync(deadline.Token), deadline.Token).ConfigureAwait(false);
                await BoundedAsync($"closing output {output.Name}", () => output.DisposeAsync().AsTask(), deadline.Token).ConfigureAwait(false);
            })
            .Concat(Runners.Select(r => BoundedAsync($"closing datasource {r.Name}", () => r.Driver.DisposeAsync().AsTask(), deadline.Token)));
        await Task.WhenAll(closing).ConfigureAwait(false);
        _processorStop.Dispose();
        _reloading.Dispose();
    }

    private Task BoundedAsync(string what, Func<Task> step, CancellationToken deadline) =>
        ShutdownSteps.BoundedAsync(_logger, what, step, deadline);

    /// <summary>A runner and the task that runs it, stoppable on its own (a reload).</summary>
    private sealed class RunnerSlot(DriverRunner runner)
    {
        private CancellationTokenSource? _stop;

        public DriverRunner Runner => runner;

        public Task Task { get; private set; } = Task.CompletedTask;

        public bool Started { get; private set; }

        public void Start(CancellationToken hostStopping)
        {
            Started = true;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(hostStopping);
            var token = _stop.Token;
            Task = Task.Run(() => runner.RunAsync(token), CancellationToken.None);
        }

        public async Task StopAsync()
        {
            if (_stop is not null)
            {
                await _stop.CancelAsync().ConfigureAwait(false);
            }

            await Task.ConfigureAwait(false);
            _stop?.Dispose();
        }
    }
}
