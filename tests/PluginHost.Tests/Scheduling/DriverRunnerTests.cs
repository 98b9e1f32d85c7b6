using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PluginHost.Configuration;
using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.Plugins;
using PluginHost.Scheduling;

namespace PluginHost.Tests.Scheduling;

public sealed class DriverRunnerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly CountingTimeProvider _time = new(Start);
    private readonly CancellationTokenSource _stop = new();

    // A datasource of plugin <name> (folder and DLL of that name), with changes every 30 s when pulling.
    private static DatasourceConfiguration Datasource(string plugin, TimeSpan interval, UpdateMethod method) =>
        new(new LoadedPlugin(new NullPlugin(), $"/plugins/{plugin}/{plugin}.dll", "1.0"), new DatasourceSettings(new Dictionary<string, object?>()),
            interval, method, TimeSpan.FromSeconds(30));

    // failing is set before the runner starts: set after, the first snapshot could already have run
    // and succeeded (the runner starts on the thread pool at once), and the retry the test advances
    // the clock for would never come.
    private (ScriptedDriver Driver, Task Running) StartRunner(int intervalSeconds, RetryBackoff? backoff = null, TaskCompletionSource? gate = null, bool failing = false,
        Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        var driver = new ScriptedDriver(_time) { Gate = gate, Fail = failing };
        var datasource = Datasource("scripted", TimeSpan.FromSeconds(intervalSeconds), UpdateMethod.None);
        var runner = new DriverRunner(datasource, driver, new GraphQueue(10_000), _time,
            backoff ?? new RetryBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(300)), logger ?? NullLogger.Instance);
        return (driver, Task.Run(() => runner.RunAsync(_stop.Token)));
    }

    private static async Task WaitForCallsAsync(ScriptedDriver driver, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (driver.Calls.Count < count)
        {
            await Task.Delay(5, timeout.Token);
        }

        await Task.Delay(20, timeout.Token); // let the runner reach its next wait
    }

    // Advances only once the runner waits on the clock after the driver's last call: a timer
    // created after the advance would count its delay from the new time and never fire.
    private async Task AdvanceAsync(ScriptedDriver driver, int seconds, int expectedCalls)
    {
        await _time.WaitForTimerAfterAsync(driver.TimersAtLastCall);
        _time.Advance(TimeSpan.FromSeconds(seconds));
        await WaitForCallsAsync(driver, expectedCalls);
    }

    private static int[] Offsets(ScriptedDriver driver) => driver.Calls.Select(c => (int)(c.At - Start).TotalSeconds).ToArray();

    // A first snapshot's entities are all new to the graph: each is transformed, so ahead of the
    // processor. A later snapshot's are mostly unchanged (the processor skips their transform).
    // A retried first snapshot (the first failed part-way) finds most entities held: not ahead either.
    [Theory]
    [InlineData("first snapshot", DatasourceAction.InitSnapshot, 1, true)]
    [InlineData("later snapshot", DatasourceAction.Snapshot, 1, false)]
    [InlineData("first snapshot, second attempt", DatasourceAction.InitSnapshot, 2, false)]
    public async Task RunSnapshotAsync_Action_TransformsAheadOnlyTheFirstSnapshot(string name, DatasourceAction action, int attempt, bool ahead)
    {
        _ = name;
        var driver = new ScriptedDriver(_time);
        var datasource = Datasource("scripted", TimeSpan.FromSeconds(600), UpdateMethod.None);
        var queue = new GraphQueue(10_000);
        var runner = new DriverRunner(datasource, driver, queue, _time, new RetryBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(300)),
            NullLogger.Instance, new TransformAhead(new TransformerRegistry([])));

        for (var i = 1; i < attempt; i++)
        {
            (await runner.RunSnapshotAsync(action, TestContext.Current.CancellationToken)).ShouldBeTrue();
            while (queue.Reader.TryRead(out _))
            {
            }
        }

        (await runner.RunSnapshotAsync(action, TestContext.Current.CancellationToken)).ShouldBeTrue();

        var batches = new List<EventBatchQueueItem>();
        while (queue.Reader.TryRead(out var item))
        {
            if (item is EventBatchQueueItem batch)
            {
                batches.Add(batch);
            }
        }

        batches.ShouldHaveSingleItem().Events.ShouldHaveSingleItem().Action.ShouldBe(action);
        (batches[0].Ahead is not null).ShouldBe(ahead);
    }

    [Theory]
    [InlineData("default interval", 600)]
    [InlineData("per-datasource override", 30)]
    public async Task RunAsync_Healthy_InitSnapshotAtStartThenSnapshotEveryInterval(string name, int interval)
    {
        var (driver, running) = StartRunner(interval);
        await WaitForCallsAsync(driver, 1);
        await AdvanceAsync(driver, interval - 1, 1);
        driver.Calls.Count.ShouldBe(1, name);
        await AdvanceAsync(driver, 1, 2);
        await AdvanceAsync(driver, interval, 3);

        Offsets(driver).ShouldBe([0, interval, 2 * interval], name);
        driver.Calls.Select(c => c.Action).ShouldBe([DatasourceAction.InitSnapshot, DatasourceAction.Snapshot, DatasourceAction.Snapshot], name);
        await _stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task RunAsync_IntervalLongerThanATimerCanWait_SnapshotsWhenItIsDue()
    {
        const int interval = 100 * 24 * 3600; // accepted by the option, beyond Task.Delay's ~49 days
        var (driver, running) = StartRunner(interval);
        await WaitForCallsAsync(driver, 1);

        var timers = driver.TimersAtLastCall;
        for (var elapsed = 0; elapsed < interval;)
        {
            await _time.WaitForTimerAfterAsync(timers); // the runner waits a slice of at most a day
            timers = _time.TimersCreated;
            running.IsFaulted.ShouldBeFalse(running.Exception?.ToString());
            driver.Calls.Count.ShouldBe(1);
            var step = Math.Min(interval - elapsed, 24 * 3600);
            _time.Advance(TimeSpan.FromSeconds(step));
            elapsed += step;
        }

        await WaitForCallsAsync(driver, 2);
        Offsets(driver).ShouldBe([0, interval]);
        await _stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task RunAsync_SlowSnapshot_IsNeverOverlapped()
    {
        var gate = new TaskCompletionSource();
        var (driver, running) = StartRunner(60, gate: gate);
        await WaitForCallsAsync(driver, 1);

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(60)); // no timer to wait for: the runner is inside the slow snapshot
            await Task.Delay(20);
        }

        driver.Calls.Count.ShouldBe(1);
        driver.Running.ShouldBe(1);
        driver.Gate = null;
        gate.SetResult();
        await WaitForCallsAsync(driver, 2); // overdue: runs right after the slow one, never beside it
        Offsets(driver).ShouldBe([0, 300]);
        await _stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task RunAsync_FailingDatasource_RetriesWithCappedExponentialBackoff()
    {
        var (driver, running) = StartRunner(600, new RetryBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60)), failing: true);
        await WaitForCallsAsync(driver, 1);
        var expected = new[] { 0 };
        foreach (var delay in new[] { 10, 20, 40, 60, 60 })
        {
            await AdvanceAsync(driver, delay, driver.Calls.Count + 1);
            expected = [.. expected, expected[^1] + delay];
        }

        Offsets(driver).ShouldBe(expected);
        driver.Calls.ShouldAllBe(c => c.Action == DatasourceAction.InitSnapshot);

        driver.Fail = false;
        await AdvanceAsync(driver, 60, driver.Calls.Count + 1); // recovers, then back on the interval
        await AdvanceAsync(driver, 600, driver.Calls.Count + 1);
        Offsets(driver)[^1].ShouldBe(expected[^1] + 60 + 600);
        driver.Calls.Last().Action.ShouldBe(DatasourceAction.Snapshot);
        await _stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task RunAsync_PushStreams_BackOffWhileFailingAndStartOverAfterAHealthyOne()
    {
        // fail, fail, fail, deliver 3 events and end, fail, fail
        var driver = new PushDriver(_time, PushDriver.Fails, PushDriver.Fails, PushDriver.Fails, 3, PushDriver.Fails, PushDriver.Fails);
        var datasource = Datasource("push", TimeSpan.FromHours(1), UpdateMethod.Push);
        var runner = new DriverRunner(datasource, driver, new GraphQueue(10_000), _time,
            new RetryBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(300)), NullLogger.Instance);
        var running = Task.Run(() => runner.RunAsync(_stop.Token));

        async Task StepAsync(int seconds, int openings)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (driver.Openings.Count < openings - 1)
            {
                await Task.Delay(5, timeout.Token);
            }

            await Task.Delay(50, timeout.Token); // the loop reaches its wait
            _time.Advance(TimeSpan.FromSeconds(seconds));
            while (driver.Openings.Count < openings)
            {
                await Task.Delay(5, CancellationToken.None);
                if (timeout.IsCancellationRequested)
                {
                    throw new ShouldAssertException($"opening {openings} never came; openings at {string.Join(",", driver.Openings.Select(t => (t - Start).TotalSeconds))}, clock at {(_time.GetUtcNow() - Start).TotalSeconds}, status {runner.Status.Current}");
                }
            }
        }

        await StepAsync(10, 2);
        await StepAsync(20, 3);
        await StepAsync(40, 4); // the healthy stream; it ends, and the next opening follows at once
        await StepAsync(0, 5);
        await StepAsync(10, 6); // after a healthy stream the backoff started over: 10 s, not 80 s

        driver.Openings.Select(t => (int)(t - Start).TotalSeconds).ShouldBe([0, 10, 30, 70, 70, 80]);
        await _stop.CancelAsync();
        await running;
    }

    // A timer waits at most ~49.7 days, and retry_initial_delay/retry_max_delay have no maximum: the
    // push loop's wait threw (a hostile test, stop 39) and the stream was never opened again.
    [Fact]
    public async Task RunAsync_PushBackoffLongerThanATimerCanWait_ReopensAfterADay()
    {
        var driver = new PushDriver(_time, PushDriver.Fails, PushDriver.Fails);
        var datasource = Datasource("push", TimeSpan.FromDays(100), UpdateMethod.Push);
        var runner = new DriverRunner(datasource, driver, new GraphQueue(10_000), _time,
            new RetryBackoff(TimeSpan.FromDays(60), TimeSpan.FromDays(60)), NullLogger.Instance);
        var running = Task.Run(() => runner.RunAsync(_stop.Token));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (driver.Openings.Count < 1)
        {
            await Task.Delay(5, timeout.Token);
        }

        await Task.Delay(50, timeout.Token); // the loop reaches its wait
        _time.Advance(TimeSpan.FromDays(1));
        while (driver.Openings.Count < 2 && !running.IsCompleted)
        {
            await Task.Delay(5, timeout.Token);
        }

        running.IsCompleted.ShouldBeFalse("the runner ended");
        driver.Openings.Select(t => (t - Start).TotalDays).ShouldBe([0, 1]);
        await _stop.CancelAsync();
        await running;
    }

    // Due times count from the attempt's start, so an attempt that took 4 s of a 10 s delay is retried
    // 6 s after it failed; the log said "in 10 s" (a hostile test, stop 39).
    [Fact]
    public async Task RunAsync_SlowFailedAttempt_LogSaysWhenTheRetryReallyComes()
    {
        var logger = new PluginHost.Tests.Support.CapturingLogger();
        var gate = new TaskCompletionSource();
        var (driver, running) = StartRunner(600, new RetryBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60)), gate, failing: true, logger: logger);
        await WaitForCallsAsync(driver, 1);
        _time.Advance(TimeSpan.FromSeconds(4));
        gate.SetResult();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!logger.Entries.Any(e => e.Message.StartsWith("Retrying", StringComparison.Ordinal)))
        {
            await Task.Delay(5, timeout.Token);
        }

        logger.Entries.Select(e => e.Message).ShouldContain("Retrying the scripted snapshot in 6 s (attempt 1 failed)");
        await AdvanceAsync(driver, 6, 2);
        Offsets(driver).ShouldBe([0, 10]);
        await _stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task RunAsync_BackoffLongerThanInterval_IsCappedAtTheInterval()
    {
        var (driver, running) = StartRunner(15, new RetryBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(300)), failing: true);
        await WaitForCallsAsync(driver, 1);
        await AdvanceAsync(driver, 10, 2);
        await AdvanceAsync(driver, 15, 3);
        await AdvanceAsync(driver, 15, 4);

        Offsets(driver).ShouldBe([0, 10, 25, 40]);
        await _stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task RunAsync_Shutdown_CancelsTheSnapshotInFlightAndReturns()
    {
        var (driver, running) = StartRunner(600, gate: new TaskCompletionSource());
        await WaitForCallsAsync(driver, 1);

        await _stop.CancelAsync();

        await running.WaitAsync(TimeSpan.FromSeconds(10));
        driver.Cancelled.ShouldBeTrue();
    }

    private sealed class NullPlugin : IDatasourcePlugin
    {
        public string Name => "scripted";

        public IReadOnlyList<OptionDefinition> Options => [];

        public IReadOnlyDictionary<string, IEntityTransformer> CreateTransformers(DatasourceSettings settings) => new Dictionary<string, IEntityTransformer>();

        public IDatasourceDriver CreateDriver(DatasourceContext context) => throw new NotSupportedException();
    }
}
