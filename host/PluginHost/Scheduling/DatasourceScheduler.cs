using Microsoft.Extensions.Logging;
using PluginHost.Configuration;
using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.Logging;
using PluginHost.Outputs;

namespace PluginHost.Scheduling;

/// <summary>
/// Wires a validated configuration into a running pipeline: drivers → queue → processor → graph
/// versions → outputs. Used by <c>run</c> (scheduled), <c>snapshot</c> and <c>demo</c> (once).
/// The processor task is watched: if it ever dies, every wait on it ends with its error instead
/// of hanging, and stopping is bounded by <c>[plugin_host] shutdown_timeout</c>.
/// </summary>
internal sealed class DatasourceScheduler : IAsyncDisposable
{
    private readonly GraphQueue _queue;
    private readonly GraphProcessor _processor;
    private readonly Task _processing;
    private readonly CancellationTokenSource _processorStop = new();
    private readonly List<IGraphOutput> _outputs;
    private readonly ILogger _logger;
    private readonly TimeSpan _shutdownTimeout;
    private bool _disposed;

    private DatasourceScheduler(
        GraphQueue queue, GraphProcessor processor, List<IGraphOutput> outputs, IReadOnlyList<DriverRunner> runners, TimeSpan shutdownTimeout, ILogger logger)
    {
        _queue = queue;
        _processor = processor;
        _outputs = outputs;
        Runners = runners;
        _shutdownTimeout = shutdownTimeout;
        _logger = logger;
        _processing = Task.Run(() => RunProcessorAsync(_processorStop.Token));
    }

    public IReadOnlyList<DriverRunner> Runners { get; }

    public IReadOnlyList<IGraphOutput> Outputs => _outputs;

    /// <summary>Only read it after <see cref="DrainAsync"/> or when stopped: the processor owns it.</summary>
    public EntityGraph Graph => _processor.Graph;

    /// <summary>The published graph versions; readable from any thread at any time.</summary>
    public GraphVersionPublisher Versions => _processor.Publisher;

    /// <summary>
    /// Creates every enabled datasource's driver. A plugin whose configuration is unusable throws
    /// <see cref="ConfigException"/> (exit 2); a plugin that fails otherwise is logged and left out.
    /// With <paramref name="writeOutputs"/> false (the <c>snapshot</c> verb without
    /// <c>--write-outputs</c>), graph_file, event_log and notifications are left alone.
    /// </summary>
    public static DatasourceScheduler Create(
        HostConfiguration configuration,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        bool writeOutputs = true,
        IReadOnlyList<IGraphOutput>? extraOutputs = null)
    {
        var logger = loggerFactory.CreateLogger("PluginHost");
        var registry = CreateRegistry(configuration, logger);
        var queue = new GraphQueue(configuration.Host.QueueCapacity);
        var backoff = new RetryBackoff(configuration.Host.RetryInitialDelay, configuration.Host.RetryMaxDelay);
        var runners = new List<DriverRunner>();
        var errors = new List<string>();
        foreach (var datasource in configuration.Datasources)
        {
            try
            {
                runners.Add(CreateRunner(datasource, queue, backoff, loggerFactory, time));
            }
            catch (DatasourceConfigurationException e)
            {
                errors.Add($"[{datasource.Name}] {LogText.Escape(e.Message)}");
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
            foreach (var runner in runners)
            {
                runner.Driver.DisposeAsync().AsTask().Wait(configuration.Host.ShutdownTimeout);
            }

            throw new ConfigException(errors);
        }

        var outputs = writeOutputs ? OutputFactory.Create(configuration.Host, loggerFactory, time) : [];
        outputs.AddRange(extraOutputs ?? []);
        var processor = new GraphProcessor(queue, new EntityGraph(time), registry, outputs, new GraphVersionPublisher(),
            configuration.Host.DeletedEntityRetention, time, logger);
        return new DatasourceScheduler(queue, processor, outputs, runners, configuration.Host.ShutdownTimeout, logger);
    }

    private static TransformerRegistry CreateRegistry(HostConfiguration configuration, ILogger logger)
    {
        var created = new List<(string, IReadOnlyDictionary<string, IEntityTransformer>)>();
        foreach (var plugin in configuration.Catalog.Plugins)
        {
            try
            {
                created.Add((plugin.Name, plugin.Instance.CreateTransformers(configuration.PluginSettings[plugin.Name])));
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

    private static DriverRunner CreateRunner(
        DatasourceConfiguration datasource, GraphQueue queue, RetryBackoff backoff, ILoggerFactory loggerFactory, TimeProvider time)
    {
        var context = new DatasourceContext(
            datasource.Name, datasource.Settings, loggerFactory.CreateLogger($"PluginHost.Datasources.{datasource.Name}"), time)
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

        return new DriverRunner(datasource, driver, queue, time, backoff, context.Logger);
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
            _queue.Complete(e);
            throw;
        }
    }

    /// <summary>Runs every datasource on its schedule until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <exception cref="InvalidOperationException">The graph processor failed.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _logger.LogInformation("Running datasources: {Datasources}", string.Join(", ", Runners.Select(r => r.Name)));
        var runners = Task.WhenAll(Runners.Select(r => Task.Run(() => r.RunAsync(cancellationToken), CancellationToken.None)));
        await WatchProcessorAsync(runners).ConfigureAwait(false);
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
        if (await Task.WhenAny(work, _processing).ConfigureAwait(false) == _processing && !work.IsCompleted)
        {
            await _processing.ConfigureAwait(false);
            throw new InvalidOperationException("the graph processor stopped");
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
        using var deadline = new CancellationTokenSource(_shutdownTimeout);
        _queue.Complete();
        await BoundedAsync("applying the queued events", () => _processing, deadline.Token).ConfigureAwait(false);
        await _processorStop.CancelAsync().ConfigureAwait(false);
        foreach (var output in _outputs)
        {
            await BoundedAsync($"flushing output {output.Name}", () => output.FlushAsync(deadline.Token), deadline.Token).ConfigureAwait(false);
        }

        var closing = _outputs.Select(o => BoundedAsync($"closing output {o.Name}", () => o.DisposeAsync().AsTask(), deadline.Token))
            .Concat(Runners.Select(r => BoundedAsync($"closing datasource {r.Name}", () => r.Driver.DisposeAsync().AsTask(), deadline.Token)));
        await Task.WhenAll(closing).ConfigureAwait(false);
        _processorStop.Dispose();
    }

    private async Task BoundedAsync(string what, Func<Task> step, CancellationToken deadline)
    {
        try
        {
            await step().WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            _logger.LogWarning("Shutdown timeout ({Seconds} s, [plugin_host] shutdown_timeout) reached while {What}; it is abandoned",
                _shutdownTimeout.TotalSeconds, what);
        }
#pragma warning disable CA1031 // a failing step must not keep the others from closing
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.LogError("While stopping, {What} failed: {Message}", what, LogText.Escape(e.Message));
        }
    }
}
