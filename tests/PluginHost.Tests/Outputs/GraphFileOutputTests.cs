using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Graph;
using PluginHost.Outputs;
using PluginHost.Tests.Scheduling;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Outputs;

public sealed class GraphFileOutputTests
{
    [Fact]
    public async Task WriteAsync_SharedFolderWithPlantedSymlinks_NeverFollowsThemAndWritesMode0640()
    {
        using var temp = new TempFolder();
        var victim = temp.File("victim", "precious");
        var graphFile = temp.Combine("graph.json");

        // The names the old writer used (.<name>.<pid>.tmp), planted by another user of the folder.
        foreach (var pid in new[] { Environment.ProcessId, 1, 2, 3 })
        {
            File.CreateSymbolicLink(temp.Combine($".graph.json.{pid}.tmp"), victim);
        }

        await GraphFileOutput.WriteAsync(graphFile, GraphVersion.Empty, TestContext.Current.CancellationToken);

        File.ReadAllText(victim).ShouldBe("precious");
        File.ReadAllText(graphFile).ShouldContain("\"directed\": true");
        File.GetUnixFileMode(graphFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        new FileInfo(graphFile).LinkTarget.ShouldBeNull();
    }

    [Fact]
    public async Task OnGraphPublished_VersionsFasterThanASecond_WritesTheNewestAtMostOnceASecond()
    {
        using var temp = new TempFolder();
        var clock = new CountingTimeProvider(DateTimeOffset.UnixEpoch);
        var timers = clock.TimersCreated;
        await using var output = new GraphFileOutput(temp.Combine("graph.json"), NullLogger.Instance, clock);

        output.OnGraphPublished(Version(1));
        await WaitUntilAsync(() => output.WrittenVersion == 1, "the first version, at once");
        await clock.WaitForTimerAfterAsync(timers); // the worker waits out its second
        output.OnGraphPublished(Version(2)); // watched changes arriving within that second
        output.OnGraphPublished(Version(3));

        (await StaysAsync(() => output.WrittenVersion == 1)).ShouldBeTrue("nothing more within the second");
        timers = clock.TimersCreated;
        clock.Advance(GraphFileOutput.MinimumInterval - TimeSpan.FromMilliseconds(1));
        (await StaysAsync(() => output.WrittenVersion == 1)).ShouldBeTrue("nothing more 1 ms before the second ends");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await WaitUntilAsync(() => output.WrittenVersion == 3, "the newest version once the second passed");
        await clock.WaitForTimerAfterAsync(timers);
        output.OnGraphPublished(Version(4));
        (await StaysAsync(() => output.WrittenVersion == 3)).ShouldBeTrue("the next second starts with that write");
    }

    private static GraphVersion Version(long number) => new(number, DateTimeOffset.UnixEpoch,
        ImmutableDictionary.Create<string, VertexView>(StringComparer.Ordinal), ImmutableDictionary.Create<string, string>(StringComparer.Ordinal), ResourceIndex.Empty);

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            timeout.IsCancellationRequested.ShouldBeFalse($"waited 10 s for {what}");
            await Task.Delay(5, CancellationToken.None);
        }
    }

    // Whether the condition still holds after a real-time look (the worker had time to act, had it wanted to).
    private static async Task<bool> StaysAsync(Func<bool> condition)
    {
        for (var i = 0; i < 15; i++)
        {
            if (!condition())
            {
                return false;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        return condition();
    }
}
