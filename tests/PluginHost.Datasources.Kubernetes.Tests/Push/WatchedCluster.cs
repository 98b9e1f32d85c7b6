using System.Collections.Concurrent;
using PluginHost.Contracts;
using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests.Push;

/// <summary>
/// A simulated cluster and the plugin's driver on it with <c>update_method = push</c>: its first
/// snapshot (the read the watch starts from), then its watch read in the background, as the host
/// reads it. Real HTTP; the clock may be a fake one.
/// </summary>
internal sealed class WatchedCluster : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _reading = Task.CompletedTask;

    private WatchedCluster(SimulatedCluster cluster, IDatasourceDriver driver, CapturingLogger logger)
    {
        Cluster = cluster;
        Driver = driver;
        Logger = logger;
    }

    public SimulatedCluster Cluster { get; }

    public KubeApiSimulator.KubeApiSimulator Simulator => Cluster.Simulator;

    public IDatasourceDriver Driver { get; }

    public CapturingLogger Logger { get; }

    /// <summary>The first snapshot's events.</summary>
    public List<DatasourceEvent> Initial { get; private set; } = [];

    /// <summary>Everything the watch streamed so far, in order.</summary>
    public ConcurrentQueue<DatasourceEvent> Changes { get; } = new();

    public IReadOnlyDictionary<string, long> Counters => ((IDriverCounters)Driver).Counters;

    /// <summary>Starts the simulator and the driver, takes the first snapshot and starts reading the watch.</summary>
    /// <param name="kubeconfig">Writes the kubeconfig to use into the cluster's folder and returns its path; default: the simulator's own.</param>
    public static async Task<WatchedCluster> StartAsync(
        SimulatorOptions options, string useWatchList = "auto", TimeProvider? time = null, int maxPageBytes = 64 << 20, bool watch = true,
        Func<SimulatedCluster, string>? kubeconfig = null)
    {
        var cluster = await SimulatedCluster.StartAsync(options);
        var logger = new CapturingLogger();
        var settings = SimulatedCluster.Settings(
            kubeconfig?.Invoke(cluster) ?? cluster.Kubeconfig, maxPageBytes: maxPageBytes, updateMethod: "push", useWatchList: useWatchList);
        var driver = new KubernetesDatasourcePlugin().CreateDriver(new DatasourceContext("kubernetes", settings, logger, time ?? TimeProvider.System));
        var watched = new WatchedCluster(cluster, driver, logger);
        watched.Initial = await SimulatedCluster.GetAllAsync(driver, DatasourceAction.InitSnapshot, TestContext.Current.CancellationToken);
        if (watch)
        {
            watched.StartWatching();
        }

        return watched;
    }

    public void StartWatching() => _reading = Task.Run(async () =>
    {
        try
        {
            await foreach (var e in ((IChangesDriver)Driver).GetChangesAsync(_stop.Token))
            {
                Changes.Enqueue(e);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    });

    /// <summary>Waits until the watch streamed an event <paramref name="match"/> accepts (after <paramref name="skip"/> events).</summary>
    public async Task<DatasourceEvent> WaitForAsync(Func<DatasourceEvent, bool> match, string what, int seconds = 15, int skip = 0)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (Changes.Skip(skip).FirstOrDefault(match) is { } found)
            {
                return found;
            }

            _reading.IsFaulted.ShouldBeFalse($"the watch failed: {_reading.Exception}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"waited {seconds} s for {what}; the watch streamed {Changes.Count} events; log:\n{string.Join("\n", Logger.Entries.Select(e => e.Message))}");
    }

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {seconds} s for {what}; log:\n{string.Join("\n", Logger.Entries.Select(e => e.Message))}");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Waits <paramref name="milliseconds"/> of real time and says whether <paramref name="condition"/> held all along.</summary>
    public static async Task<bool> StaysAsync(Func<bool> condition, int milliseconds = 300)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(milliseconds);
        while (DateTime.UtcNow < deadline)
        {
            if (!condition())
            {
                return false;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        return condition();
    }

    public static string? WatchType(DatasourceEvent e) =>
        e.Properties.ValueKind == System.Text.Json.JsonValueKind.Object && e.Properties.TryGetProperty("watch_event_type", out var type) ? type.GetString() : null;

    public static string? NodeName(DatasourceEvent e) =>
        e.EntityType == KubernetesEntityTypes.Node ? e.Properties.GetProperty("node").GetProperty("metadata").GetProperty("name").GetString() : null;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        await Driver.DisposeAsync();
        await Cluster.DisposeAsync();
        _stop.Dispose();
    }
}
