using System.Diagnostics;
using PluginHost.Scheduling;

namespace PluginHost.Tests.Scheduling;

public sealed class GatheringWindowTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public enum Ending
    {
        TheWindowElapses,
        EndEarly,
        Cancellation,
        EndNowAlreadyHolds,
    }

    public static TheoryData<Ending> Endings => new(Enum.GetValues<Ending>());

    [Theory]
    [MemberData(nameof(Endings))]
    public async Task WaitAsync_EachWayItEnds_ReturnsWithoutThrowingAndNotBeforeItsTime(Ending ending)
    {
        var window = new GatheringWindow();
        using var cancellation = new CancellationTokenSource();
        var length = ending == Ending.TheWindowElapses ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromHours(1);
        using var armed = new ManualResetEventSlim();
        var clock = Stopwatch.StartNew();

        var waiting = window.WaitAsync(length, () =>
        {
            armed.Set();
            return ending == Ending.EndNowAlreadyHolds;
        }, cancellation.Token);
        armed.Wait(Bound).ShouldBeTrue();
        if (ending == Ending.EndEarly)
        {
            window.EndEarly();
        }
        else if (ending == Ending.Cancellation)
        {
            await cancellation.CancelAsync();
        }

        await waiting.WaitAsync(Bound, TestContext.Current.CancellationToken);
        if (ending == Ending.TheWindowElapses)
        {
            clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(190)); // the timer's granularity
        }
    }

    // An endNow check that only tells the test the wait is armed.
    private static bool Armed(ManualResetEventSlim armed)
    {
        armed.Set();
        return false;
    }

    [Fact]
    public async Task EndEarly_FromAnotherThread_ReturnsBeforeTheWaiterGoesOn()
    {
        var window = new GatheringWindow();
        using var armed = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var waiting = Task.Run(async () =>
        {
            await window.WaitAsync(TimeSpan.FromHours(1), () => Armed(armed), CancellationToken.None);
            release.Wait(Bound); // were the waiter run on EndEarly's thread, EndEarly would block here
        }, TestContext.Current.CancellationToken);
        armed.Wait(Bound).ShouldBeTrue();

        var ending = Task.Run(window.EndEarly, TestContext.Current.CancellationToken);

        (await Task.WhenAny(ending, Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken))).ShouldBeSameAs(ending);
        release.Set();
        await waiting.WaitAsync(Bound, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task WaitAsync_OneWindowAfterAnother_EachEndsAtItsWindow()
    {
        var window = new GatheringWindow();

        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            await window.WaitAsync(TimeSpan.FromMilliseconds(100), () => false, CancellationToken.None).WaitAsync(Bound, TestContext.Current.CancellationToken);
            clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(90), $"wait {i}");
        }
    }

    [Fact]
    public async Task WaitAsync_EndedEarlyThenWaitedAgain_TheNextWaitStillEndsAtItsWindow()
    {
        var window = new GatheringWindow();
        using var armed = new ManualResetEventSlim();
        var first = window.WaitAsync(TimeSpan.FromHours(1), () => Armed(armed), CancellationToken.None);
        armed.Wait(Bound).ShouldBeTrue();
        window.EndEarly();
        await first.WaitAsync(Bound, TestContext.Current.CancellationToken);

        // The hour-long timer of the first wait was taken back: the second ends at its own window.
        await window.WaitAsync(TimeSpan.FromMilliseconds(100), () => false, CancellationToken.None).WaitAsync(Bound, TestContext.Current.CancellationToken);
    }
}
