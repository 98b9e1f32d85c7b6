using System.Globalization;
using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Scheduling;

namespace PluginHost.Datasources.Kubernetes.Tests.Push;

/// <summary>
/// The watch's waits on the datasource's clock, driven by a fake one against the simulator: the
/// backoff after failing requests (0.8 s doubling to 30 s, plus up to 100 % jitter, reset after two
/// quiet minutes) and the idle deadline that gives up a silent stream (twice its timeoutSeconds).
/// </summary>
public sealed class WatchClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private static readonly TimeSpan WatchBackoffResetAfter = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Watch_ServerFailing_BacksOffDoublingTo30SecondsWithJitterAndResetsAfterTwoQuietMinutes()
    {
        var clock = new CountingTimeProvider(Start);
        await using var watched = await WatchedCluster.StartAsync(new SimulatorOptions { NodeCount = 2 }, useWatchList: "false", time: clock, watch: false);
        var simulator = watched.Simulator;
        simulator.Faults.Add(new FaultRule(FaultKind.InternalError) { OnWatch = true });
        var timers = clock.TimersCreated;
        watched.StartWatching();

        double[] bases = [0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 30, 30];
        for (var attempt = 0; attempt < bases.Length; attempt++)
        {
            var name = $"wait after failure {attempt + 1}";
            await clock.WaitForTimerAfterAsync(timers);
            timers = clock.TimersCreated;
            var requests = simulator.Counters.WatchRequests;
            requests.ShouldBe(attempt + 1, name);
            var logged = LoggedDelay(watched);
            logged.ShouldBeInRange(bases[attempt] - 0.05, (2 * bases[attempt]) + 0.05, name);

            clock.Advance(TimeSpan.FromSeconds(bases[attempt]) - Tick);
            (await WatchedCluster.StaysAsync(() => simulator.Counters.WatchRequests == requests)).ShouldBeTrue(name);
            clock.Advance(TimeSpan.FromSeconds(bases[attempt]) + (2 * Tick));
            await watched.WaitUntilAsync(() => simulator.Counters.WatchRequests == requests + 1, $"the request after {name}");
        }

        // The server recovers; two quiet minutes later it fails again: the backoff starts over at 0.8 s.
        await clock.WaitForTimerAfterAsync(timers);
        simulator.Faults.Clear();
        clock.Advance(TimeSpan.FromSeconds(60));
        await watched.WaitUntilAsync(() => simulator.OpenWatches == 1, "the watch after the server recovered");

        // The server counts the stream before the client has its headers: a drop in between would fail the request
        // itself (a backoff on the fake clock) instead of ending a stream. A change that arrives means the stream is read.
        simulator.Nodes.SetReady(simulator.Nodes.Names[0], "False");
        await watched.WaitForAsync(e => WatchedCluster.WatchType(e) == "MODIFIED", "a change on the recovered watch");
        clock.Advance(WatchBackoffResetAfter + TimeSpan.FromSeconds(1));
        simulator.Faults.Add(new FaultRule(FaultKind.InternalError) { OnWatch = true });
        timers = clock.TimersCreated;
        var before = simulator.Counters.WatchRequests;
        simulator.DropWatches();
        await watched.WaitUntilAsync(() => simulator.Counters.WatchRequests == before + 1, "the watch again after the drop");
        await clock.WaitForTimerAfterAsync(timers);
        LoggedDelay(watched).ShouldBeInRange(0.75, 1.65);
        clock.Advance(TimeSpan.FromSeconds(0.8) - Tick);
        (await WatchedCluster.StaysAsync(() => simulator.Counters.WatchRequests == before + 1)).ShouldBeTrue();
        clock.Advance(TimeSpan.FromSeconds(0.8) + (2 * Tick));
        await watched.WaitUntilAsync(() => simulator.Counters.WatchRequests == before + 2, "the request after the reset backoff");
        simulator.Counters.NodeListRequests.ShouldBe(1); // failures never relist
    }

    [Fact]
    public async Task Watch_SilentStream_IsGivenUpAfterTwiceItsTimeoutAndWatchedAgainFromItsVersion()
    {
        var clock = new CountingTimeProvider(Start);
        await using var watched = await WatchedCluster.StartAsync(new SimulatorOptions { NodeCount = 3 }, useWatchList: "false", time: clock, watch: false);
        var simulator = watched.Simulator;
        simulator.Faults.Add(new FaultRule(FaultKind.SilentWatch) { OnWatch = true, Times = 1 });
        var timers = clock.TimersCreated;
        watched.StartWatching();
        await clock.WaitForTimerAfterAsync(timers); // the stream is open, its idle deadline armed
        var timeout = TimeSpan.FromSeconds(int.Parse(simulator.Counters.Watches.Single().TimeoutSeconds, CultureInfo.InvariantCulture));
        var flipped = simulator.Nodes.Names[1];
        simulator.Nodes.SetReady(flipped, "False");

        clock.Advance((2 * timeout) - TimeSpan.FromSeconds(1));
        (await WatchedCluster.StaysAsync(() => simulator.Counters.WatchRequests == 1 && watched.Changes.IsEmpty)).ShouldBeTrue();
        clock.Advance(TimeSpan.FromSeconds(2));

        await watched.WaitForAsync(e => WatchedCluster.NodeName(e) == flipped, "the change, from the watch after the hung one");
        simulator.Counters.Watches.ElementAt(1).ResourceVersion.ShouldBe(simulator.Counters.Watches.First().ResourceVersion);
        simulator.Counters.NodeListRequests.ShouldBe(1);
        watched.Logger.Warnings.ShouldContain(w => w.Contains("is taken as hung: nothing arrived, not even a bookmark, for", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Watch_BookmarksOnAQuietStream_KeepItPastTheIdleDeadline()
    {
        var clock = new CountingTimeProvider(Start);
        await using var watched = await WatchedCluster.StartAsync(
            new SimulatorOptions { NodeCount = 1, BookmarkInterval = TimeSpan.FromMilliseconds(50) }, useWatchList: "false", time: clock, watch: false);
        var timers = clock.TimersCreated;
        watched.StartWatching();
        await clock.WaitForTimerAfterAsync(timers);
        var timeout = TimeSpan.FromSeconds(int.Parse(watched.Simulator.Counters.Watches.Single().TimeoutSeconds, CultureInfo.InvariantCulture));

        for (var i = 0; i < 4; i++)
        {
            clock.Advance(timeout * 1.5); // each step alone stays under the deadline; the bookmarks between re-arm it
            (await WatchedCluster.StaysAsync(() => watched.Simulator.Counters.WatchRequests == 1, 200)).ShouldBeTrue($"step {i + 1}");
        }
    }

    // "… trying again in 1.2 s": the wait the driver chose.
    private static double LoggedDelay(WatchedCluster watched)
    {
        var line = watched.Logger.Warnings.Last(w => w.Contains("trying again in", StringComparison.Ordinal));
        var text = line[(line.LastIndexOf("trying again in ", StringComparison.Ordinal) + "trying again in ".Length)..].Split(' ')[0];
        return double.Parse(text, CultureInfo.InvariantCulture);
    }
}
