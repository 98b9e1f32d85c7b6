using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Configuration;
using PluginHost.Operations;
using PluginHost.Scheduling;

namespace PluginHost.Tests.Operations;

/// <summary><c>run</c>'s release of memory after a complete snapshot, with the runtime's real collector.</summary>
public sealed class MemoryReleaseTests
{
    // case, the bound in bytes, whether a collection runs
    public static TheoryData<string, long, bool> Bounds => new()
    {
        { "0 turns it off", 0, false },
        { "a bound under any heap there is", 1, false },
        { "a bound over this test process's heap", 64L << 30, true },
    };

    [Theory]
    [MemberData(nameof(Bounds))]
    public void AfterSnapshot_Bound_CollectsOnlyWithinIt(string name, long belowBytes, bool collects)
    {
        var before = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;

        var result = new MemoryRelease(belowBytes, NullLogger.Instance).AfterSnapshot();

        result.Released.ShouldBe(collects, name);
        if (collects)
        {
            // A full blocking collection ran after the call began (its index is newer than any before it).
            result.CollectionIndex.ShouldBeGreaterThan(before, name);
            result.HeapBytes.ShouldBeGreaterThan(0, name);
            result.Pause.ShouldBeGreaterThan(TimeSpan.Zero, name);
        }
        else
        {
            result.CollectionIndex.ShouldBe(0, name);
            result.Pause.ShouldBe(TimeSpan.Zero, name);
            (result.HeapBytes > 0).ShouldBe(belowBytes > 0, name); // judged by the heap only when on
        }
    }

    [Fact]
    public void RestartOnly_ReleaseMemoryBelowChanged_NeedsARestartAndKeepsTheRunningBound()
    {
        var running = new HostSettings { ReleaseMemoryBelowMiB = 256 };
        var reloaded = new HostSettings { ReleaseMemoryBelowMiB = 0 };

        ConfigurationDiff.RestartOnly(running, reloaded).ShouldBe([("[plugin_host] release_memory_below", "256", "0")]);
        ConfigurationDiff.KeepRestartOnly(running, reloaded).ReleaseMemoryBelowMiB.ShouldBe(256);
    }
}
