using System.Diagnostics;

namespace PluginHost.Benchmarks;

/// <summary>
/// Changes the simulated cluster at a steady rate: each change turns a random node's Ready
/// condition the other way (a MODIFIED a watch reports), as a cluster with flapping nodes does.
/// </summary>
internal sealed class NodeFlipper : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private long _changes;

    private NodeFlipper(KubeApiSimulator.KubeApiSimulator simulator, double perSecond, int seed)
    {
        _running = Task.Run(() => RunAsync(simulator, perSecond, seed, _stop.Token));
    }

    public long Changes => Interlocked.Read(ref _changes);

    public static NodeFlipper Start(KubeApiSimulator.KubeApiSimulator simulator, double perSecond, int seed = 15) => new(simulator, perSecond, seed);

    /// <summary>The vertex state <paramref name="name"/> gets from <see cref="Flip"/>.</summary>
    public static string StateAfterFlip(KubeApiSimulator.KubeApiSimulator simulator, string name) => IsReady(simulator, name) ? "NotReady" : "Ready";

    /// <summary>Flips <paramref name="name"/>: NotReady when it is Ready, else Ready.</summary>
    public static void Flip(KubeApiSimulator.KubeApiSimulator simulator, string name) =>
        simulator.Nodes.SetReady(name, IsReady(simulator, name) ? "False" : "True");

    private static bool IsReady(KubeApiSimulator.KubeApiSimulator simulator, string name) =>
        simulator.Nodes.Get(name)?["status"]?["conditions"]?.AsArray()
            .FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Ready")?["status"]?.GetValue<string>() == "True";

    // Due times from a clock, not from sleeps: the rate holds however long each change takes.
    private async Task RunAsync(KubeApiSimulator.KubeApiSimulator simulator, double perSecond, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var names = simulator.Nodes.Names;
        var clock = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        var due = TimeSpan.Zero;
        while (!cancellationToken.IsCancellationRequested)
        {
            due += interval;
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            Flip(simulator, names[random.Next(names.Count)]);
            Interlocked.Increment(ref _changes);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }
}
