using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PluginHost.Configuration;
using PluginHost.Graph;
using PluginHost.Scheduling;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests.Push;

/// <summary>
/// The host's pipeline running (<c>DatasourceScheduler.RunAsync</c>: config → the real plugin from
/// the host's plugins folder → drivers, push streams, graph) against simulated clusters, its log
/// kept, its graph read from the published versions as the API reads them.
/// </summary>
internal sealed class PushHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private PushHost(DatasourceScheduler scheduler, CapturingLoggerFactory logs)
    {
        Scheduler = scheduler;
        Logs = logs;
        _running = Task.Run(() => scheduler.RunAsync(_stop.Token));
    }

    public DatasourceScheduler Scheduler { get; }

    public CapturingLoggerFactory Logs { get; }

    public GraphVersion Graph => Scheduler.Versions.Current;

    /// <summary>
    /// Writes the config of a host that watches <paramref name="kubeconfig"/>'s cluster with the
    /// real plugin (<c>update_method = push</c>) and <paramref name="kubernetesSettings"/>, one
    /// <c>[kubernetes]</c> option a line.
    /// </summary>
    public static string Config(TempFolder temp, string kubeconfig, string kubernetesSettings) => temp.File("vitrage.conf", $"""
        [datasources]
        types = kubernetes
        plugin_path = {TestRepository.HostPluginFolder}
        [kubernetes]
        config_file = {kubeconfig}
        update_method = push
        {kubernetesSettings}
        """);

    public static PushHost Start(string config, TimeProvider? time = null)
    {
        var logs = new CapturingLoggerFactory();
        var configuration = HostConfigurationLoader.Load(ConfigFileSet.Load([config], []));
        return new PushHost(DatasourceScheduler.Create(configuration, logs, time ?? TimeProvider.System), logs);
    }

    public DriverRunner Runner(string name = "kubernetes") => Scheduler.Runners.Single(r => r.Name == name);

    /// <summary>The live nodes of <paramref name="datasource"/> in the graph: name → state.</summary>
    public Dictionary<string, string?> Nodes(string datasource = "kubernetes") =>
        Graph.LiveVertices.Where(v => v.Type == KubernetesEntityTypes.Node && v.DatasourceName == datasource)
            .ToDictionary(v => v.Name!, v => v.State, StringComparer.Ordinal);

    /// <summary>What the simulator holds: node name → the state its Ready condition gives.</summary>
    public static Dictionary<string, string?> Expected(KubeApiSimulator.KubeApiSimulator simulator) =>
        simulator.Nodes.Names.ToDictionary(n => n, n => ReadyState(simulator, n), StringComparer.Ordinal);

    /// <summary>Waits until <paramref name="condition"/> holds, calling <paramref name="tick"/> between looks (a fake clock's pump).</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 20, Action? tick = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {seconds} s for {what}; log:\n{Logs.Text}");
            }

            _running.IsFaulted.ShouldBeFalse($"the host failed: {_running.Exception}");
            tick?.Invoke();
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private static string? ReadyState(KubeApiSimulator.KubeApiSimulator simulator, string name)
    {
        var ready = simulator.Nodes.Get(name)?["status"]?["conditions"]?.AsArray()
            .FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Ready")?["status"]?.GetValue<string>();
        return ready switch
        {
            "True" => "Ready",
            "False" => "NotReady",
            _ => "Unknown",
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        await Scheduler.DisposeAsync();
        _stop.Dispose();
    }
}

/// <summary>Keeps every log line of the host and its datasources, with its category (a datasource's names its context).</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Entries { get; } = new();

    public string Text => string.Join("\n", Entries.Select(e => $"{e.Level} {e.Category}: {e.Message}"));

    public IEnumerable<(string Category, string Message)> Warnings =>
        Entries.Where(e => e.Level == LogLevel.Warning).Select(e => (e.Category, e.Message));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((category, logLevel, formatter(state, exception)));
    }
}
