using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Scheduling;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests.Push;

/// <summary>
/// The property a watch exists for: whatever goes wrong on the way, once the faults stop the graph
/// holds exactly the simulator's nodes, in their states — without a resync (snapshots_interval is
/// out of reach), so it is the watch, its relists and its retries that got there. The host runs on
/// a fake clock pumped 100× faster than real time, so backoffs and idle deadlines pass in a test.
/// </summary>
public sealed class FaultSequenceTests
{
    public enum Fault
    {
        /// <summary>Two streams reset after two events each.</summary>
        DroppedMidStream,

        /// <summary>The server ends every stream after 1.5 s.</summary>
        ShortStreams,

        /// <summary>The stream drops; the next watches get 500 three times, then 429 twice.</summary>
        ErrorsOnRewatch,

        /// <summary>The stream drops, the watch fails while nodes change, the history is compacted: 410, relist.</summary>
        CompactionWhileAway,

        /// <summary>The stream drops and the next one hangs (headers, then nothing) until the idle deadline.</summary>
        HungStream,

        /// <summary>The server stops serving WatchList, then a relist is needed: it falls back to a list.</summary>
        WatchListRefusedOnRelist,
    }

    public static TheoryData<string, Fault[]> Sequences => new()
    {
        { "dropped mid-stream", [Fault.DroppedMidStream] },
        { "short streams", [Fault.ShortStreams] },
        { "errors on re-watch", [Fault.ErrorsOnRewatch] },
        { "compaction while away", [Fault.CompactionWhileAway] },
        { "hung stream", [Fault.HungStream] },
        { "WatchList refused on relist", [Fault.WatchListRefusedOnRelist] },
        { "every fault in a row", [Fault.DroppedMidStream, Fault.ErrorsOnRewatch, Fault.HungStream, Fault.CompactionWhileAway, Fault.ShortStreams, Fault.WatchListRefusedOnRelist] },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public async Task Run_FaultSequence_TheGraphEndsEqualToTheSimulatorsNodes(string name, Fault[] faults)
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 30, BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        using var temp = new TempFolder();
        var clock = new CountingTimeProvider(DateTimeOffset.UtcNow);
        await using var host = PushHost.Start(PushHost.Config(temp, cluster.Kubeconfig, "snapshots_interval = 100000000\nsnapshot_timeout = 86400"), clock);
        var simulator = cluster.Simulator;
        var churn = new Churn(simulator, seed: name.Length);
        void Pump() => clock.Advance(TimeSpan.FromSeconds(2));
        await host.WaitUntilAsync(() => simulator.OpenWatches == 1 && host.Nodes().Count == 30, "the first snapshot and the watch", tick: Pump);

        foreach (var fault in faults)
        {
            await ApplyAsync(fault, simulator, churn, host, Pump);
            for (var round = 0; round < 3; round++)
            {
                churn.Round();
                for (var i = 0; i < 10; i++)
                {
                    Pump();
                    await Task.Delay(20, TestContext.Current.CancellationToken);
                }
            }
        }

        simulator.Faults.Clear();
        simulator.MaxWatchDuration = null;
        churn.Round();
        await host.WaitUntilAsync(() => Converged(host, simulator), $"the graph to equal the simulator's nodes ({name})", seconds: 60, tick: Pump);
        host.Runner().Status.Current.CompletedSnapshots.ShouldBe(1, name); // the watch got there, not a resync
        host.Graph.Find("RESOURCE:kubernetes:sim-cluster")!.Properties["node_count"].ShouldBe((long)simulator.Nodes.Count, name);
    }

    private static async Task ApplyAsync(Fault fault, KubeApiSimulator.KubeApiSimulator simulator, Churn churn, PushHost host, Action pump)
    {
        switch (fault)
        {
            case Fault.DroppedMidStream:
                simulator.Faults.Add(new FaultRule(FaultKind.DropWatch) { OnWatch = true, AfterEvents = 2, Times = 2 });
                simulator.DropWatches();
                break;
            case Fault.ShortStreams:
                simulator.MaxWatchDuration = TimeSpan.FromSeconds(1.5);
                break;
            case Fault.ErrorsOnRewatch:
                simulator.Faults.Add(new FaultRule(FaultKind.InternalError) { OnWatch = true, Times = 3 });
                simulator.Faults.Add(new FaultRule(FaultKind.TooManyRequests) { OnWatch = true, Times = 2 });
                simulator.DropWatches();
                break;
            case Fault.HungStream:
                simulator.Faults.Add(new FaultRule(FaultKind.SilentWatch) { OnWatch = true, Times = 1 });
                simulator.DropWatches();
                break;
            case Fault.CompactionWhileAway:
            case Fault.WatchListRefusedOnRelist:
                simulator.WatchListEnabled = fault != Fault.WatchListRefusedOnRelist;
                var failing = new FaultRule(FaultKind.InternalError) { OnWatch = true };
                simulator.Faults.Add(failing);
                simulator.DropWatches();
                churn.Round();
                simulator.Nodes.Compact();
                await host.WaitUntilAsync(() => simulator.Faults.Fired[^1] > 0, "a watch answered 500", tick: pump);
                simulator.Faults.Clear();
                break;
        }
    }

    private static bool Converged(PushHost host, KubeApiSimulator.KubeApiSimulator simulator)
    {
        var nodes = host.Nodes();
        var expected = PushHost.Expected(simulator);
        return nodes.Count == expected.Count && expected.All(e => nodes.TryGetValue(e.Key, out var state) && state == e.Value);
    }

    /// <summary>Seeded changes: each round deletes a node, adds one and flips two.</summary>
    private sealed class Churn(KubeApiSimulator.KubeApiSimulator simulator, int seed)
    {
        private readonly Random _random = new(seed);

        public void Round()
        {
            var nodes = simulator.Nodes;
            nodes.Delete(nodes.Names[_random.Next(nodes.Count)]);
            simulator.AddGeneratedNodes(1);
            for (var i = 0; i < 2; i++)
            {
                var name = nodes.Names[_random.Next(nodes.Count)];
                nodes.SetReady(name, _random.Next(3) switch { 0 => "False", 1 => "Unknown", _ => "True" });
            }
        }
    }
}
