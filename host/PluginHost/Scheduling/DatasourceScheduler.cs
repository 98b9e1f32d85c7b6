using Microsoft.Extensions.Logging;
using PluginHost.Configuration;
using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.Outputs;
using PluginHost.Outputs.Notifications;

namespace PluginHost.Scheduling;

/// <summary>
/// Wires a validated configuration into a running pipeline: drivers → queue → processor → graph
/// → outputs. Used by <c>run</c> (scheduled), <c>snapshot</c> and <c>demo</c> (once).
/// </summary>
internal sealed class DatasourceScheduler : IAsyncDisposable
{
    private readonly GraphQueue _queue;
    private readonly GraphProcessor _processor;
    private readonly Task _processing;
    private readonly CancellationTokenSource _processorStop = new();
    private readonly IReadOnlyList<IGraphOutput> _outputs;
    private readonly ILogger _logger;
    private bool _disposed;

    private DatasourceScheduler(
        GraphQueue queue, GraphProcessor processor, IReadOnlyList<IGraphOutput> outputs, IReadOnlyList<DriverRunner> runners, ILogger logger)
    {
        _queue = queue;
        _processor = processor;
        _outputs = outputs;
        Runners = runners;
        _logger = logger;
        _processing = Task.Run(() => processor.RunAsync(_processorStop.Token));
    }

    public IReadOnlyList<DriverRunner> Runners { get; }

    /// <summary>Only read it after <see cref="DrainAsync"/> or when stopped: the processor owns it.</summary>
    public EntityGraph Graph => _processor.Graph;

    /// <summary>
    /// Creates every enabled datasource's driver. A plugin whose configuration is unusable throws
    /// <see cref="ConfigException"/> (exit 2); a plugin that fails otherwise is logged and left out.
    /// </summary>
    public static DatasourceScheduler Create(
        HostConfiguration configuration,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        CancellationToken stopping,
        IReadOnlyList<IGraphOutput>? extraOutputs = null)
    {
        var logger = loggerFactory.CreateLogger("PluginHost");
        var registry = new TransformerRegistry(configuration.Catalog.Plugins);
        var runners = new List<DriverRunner>();
        var errors = new List<string>();
        var queue = new GraphQueue(configuration.Host.QueueCapacity);
        var backoff = new RetryBackoff(configuration.Host.RetryInitialDelay, configuration.Host.RetryMaxDelay);
        foreach (var datasource in configuration.Datasources)
        {
            var ownTypes = datasource.Plugin.Instance.Transformers.Keys.ToHashSet(StringComparer.Ordinal);
            var foreign = registry.EntityTypes.Concat(KnownEntityTypes.OpenStack).Where(t => !ownTypes.Contains(t))
                .ToHashSet(StringComparer.Ordinal);
            var context = new DatasourceContext(
                datasource.Name, datasource.Settings, loggerFactory.CreateLogger($"PluginHost.Datasources.{datasource.Name}"), time, stopping)
            {
                ForeignEntityTypes = foreign,
            };
            try
            {
                var driver = datasource.Plugin.Instance.CreateDriver(context);
                if (datasource.UpdateMethod != UpdateMethod.None && driver is not IChangesDriver)
                {
                    errors.Add($"[{datasource.Name}] update_method = {datasource.UpdateMethod.ToString().ToLowerInvariant()}: this datasource only supports none");
                }

                runners.Add(new DriverRunner(datasource, driver, queue, time, backoff, context.Logger));
            }
            catch (DatasourceConfigurationException e)
            {
                errors.Add($"[{datasource.Name}] {e.Message}");
            }
#pragma warning disable CA1031 // one broken plugin must not stop the others
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogError(e, "Datasource {Datasource} could not start and is left out: {Message}", datasource.Name, e.Message);
            }
        }

        if (errors.Count > 0)
        {
            foreach (var runner in runners)
            {
                runner.Driver.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            throw new ConfigException(errors);
        }

        var outputs = new List<IGraphOutput>();
        if (configuration.Host.EventLog is { } eventLog)
        {
            outputs.Add(new EventLogOutput(eventLog));
        }

        if (configuration.Host.GraphFile is { } graphFile)
        {
            outputs.Add(new GraphFileOutput(graphFile));
        }

        if (configuration.Host.Notifications is { } notifications)
        {
            outputs.Add(new RabbitNotificationOutput(notifications, loggerFactory.CreateLogger("PluginHost.Notifications"), time));
        }

        outputs.AddRange(extraOutputs ?? []);
        var graph = new EntityGraph(time);
        var processor = new GraphProcessor(queue, graph, registry, outputs, configuration.Host.DeletedEntityRetention, logger);
        return new DatasourceScheduler(queue, processor, outputs, runners, logger);
    }

    /// <summary>Runs every datasource on its schedule until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _logger.LogInformation("Running datasources: {Datasources}", string.Join(", ", Runners.Select(r => r.Name)));
        await Task.WhenAll(Runners.Select(r => Task.Run(() => r.RunAsync(cancellationToken), CancellationToken.None)))
            .ConfigureAwait(false);
    }

    /// <summary>One snapshot of every datasource, concurrently; returns the names of those that failed.</summary>
    public async Task<IReadOnlyList<string>> SnapshotOnceAsync(CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(Runners.Select(async r =>
            (r.Name, Ok: await r.RunSnapshotAsync(DatasourceAction.InitSnapshot, cancellationToken).ConfigureAwait(false))))
            .ConfigureAwait(false);
        await DrainAsync(cancellationToken).ConfigureAwait(false);
        return results.Where(r => !r.Ok).Select(r => r.Name).ToList();
    }

    /// <summary>Waits until every queued event is applied to <see cref="Graph"/>.</summary>
    public Task DrainAsync(CancellationToken cancellationToken) => _queue.DrainAsync(cancellationToken);

    /// <summary>Applies what is queued, then flushes and closes outputs and drivers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _queue.Complete();
        try
        {
            await _processing.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopped before the queue drained
        }

        foreach (var output in _outputs)
        {
            await output.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var runner in Runners)
        {
            await runner.Driver.DisposeAsync().ConfigureAwait(false);
        }

        _processorStop.Dispose();
    }
}
