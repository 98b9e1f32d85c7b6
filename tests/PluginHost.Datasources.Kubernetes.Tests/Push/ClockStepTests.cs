using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests.Push;

/// <summary>
/// The host's wall clock stepped back (NTP correcting a clock that ran ahead, a VM resumed, an
/// operator's <c>date -s</c>) while the host runs: the graph still follows the cluster. Sample times
/// come from the host's clock, and an older sample never overwrites a newer one, so without a clock
/// that never goes back every change after the step was dropped as "older" until the clock caught up again.
/// </summary>
public sealed class ClockStepTests
{
    [Fact]
    public async Task Run_WallClockSteppedBackAnHour_WatchedChangesStillReachTheGraph()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 10, Provider = ProviderMode.OpenStack });
        using var temp = new TempFolder();
        var clock = new SteppedClock();
        await using var host = PushHost.Start(PushHost.Config(temp, cluster.Kubeconfig, "snapshots_interval = 3600"), clock);
        var simulator = cluster.Simulator;
        await host.WaitUntilAsync(() => host.Nodes().Count == 10, "the first snapshot");
        await host.WaitUntilAsync(() => simulator.OpenWatches == 1, "the watch");

        clock.Offset = TimeSpan.FromHours(-1);
        var names = simulator.Nodes.Names;
        var notReady = names.First(n => host.Nodes()[n] == "Ready");
        var deleted = names.Last(n => n != notReady);
        simulator.Nodes.SetReady(notReady, "False");
        simulator.Nodes.Delete(deleted);

        await host.WaitUntilAsync(
            () => host.Nodes().GetValueOrDefault(notReady) == "NotReady" && !host.Nodes().ContainsKey(deleted),
            "the changes watched after the clock went back");
        var uid = host.Graph.LiveVertices.Single(v => v.Type == KubernetesEntityTypes.Node && v.Name == notReady).Id;
        host.Graph.Find($"ALARM:kubernetes.node.condition:{uid}/NodeNotReady").ShouldNotBeNull().IsDeleted.ShouldBeFalse();
    }

    // The system clock plus an offset the test moves; timers and timestamps stay the system's (monotonic), as on a real machine.
    private sealed class SteppedClock : TimeProvider
    {
        private long _offsetTicks;

        public TimeSpan Offset
        {
            get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
            set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
        }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }
}
