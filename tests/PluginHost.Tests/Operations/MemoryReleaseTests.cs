using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Operations;

namespace PluginHost.Tests.Operations;

/// <summary>
/// <c>run</c>'s release of memory after a complete snapshot, with the runtime's real collector.
/// Not beside other tests: an aggressive collection pauses the whole test process.
/// </summary>
[Collection(nameof(MemoryReleaseCollection))]
public sealed class MemoryReleaseTests
{
    private const long OverAnyHeapMiB = 64 << 10; // 64 GiB

    // case, the bound in MiB, whether the process is stopping, whether a release ran before, whether a collection runs
    public static TheoryData<string, long, bool, bool, bool> Cases => new()
    {
        { "0 turns it off", 0, false, false, false },
        { "a bound under the heap, the first release: released (the first graph's garbage)", 1, false, false, true },
        { "a bound under the heap after the first release: left to the collector", 1, false, true, false },
        { "a bound over the heap: released", OverAnyHeapMiB, false, true, true },
        { "stopping: not released, the process is about to exit", OverAnyHeapMiB, true, false, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AfterSnapshot_BoundAndStopping_CollectsOnlyWithinTheBoundWhileRunning(string name, long belowMiB, bool stopping, bool releasedBefore, bool collects)
    {
        var release = new MemoryRelease(belowMiB, new CancellationToken(stopping), NullLogger.Instance);
        if (releasedBefore)
        {
            AllocateGarbage();
            release.AfterSnapshot().Released.ShouldBeTrue($"{name}: the first release");
        }

        AllocateGarbage();
        var before = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;

        var result = release.AfterSnapshot();

        result.Released.ShouldBe(collects, name);
        if (collects)
        {
            // A full blocking, compacting collection ran after the call began.
            result.CollectionIndex.ShouldBeGreaterThan(before, name);
            result.Compacted.ShouldBeTrue(name);
            result.Pause.ShouldBeGreaterThan(TimeSpan.Zero, name);
        }
        else
        {
            result.CollectionIndex.ShouldBe(0, name);
            result.Pause.ShouldBe(TimeSpan.Zero, name);
        }

        (result.HeapBytes > 0).ShouldBe(belowMiB > 0 && !stopping, name); // the heap is judged only when on and running
    }

    [Fact]
    public void AfterSnapshot_LittleAllocatedSinceTheLastRelease_DoesNotCollectAgain()
    {
        var release = new MemoryRelease(OverAnyHeapMiB, CancellationToken.None, NullLogger.Instance);
        AllocateGarbage();
        release.AfterSnapshot().Released.ShouldBeTrue();

        release.AfterSnapshot().Released.ShouldBeFalse("nothing allocated since");
        AllocateGarbage();
        release.AfterSnapshot().Released.ShouldBeTrue("a snapshot's worth allocated since");
    }

    // More than MemoryRelease.MinAllocatedBytes, so the allocation floor is passed whatever ran before.
    private static void AllocateGarbage()
    {
        for (var i = 0; i < 40; i++)
        {
            GC.KeepAlive(new byte[1 << 20]);
        }
    }
}

[CollectionDefinition(nameof(MemoryReleaseCollection), DisableParallelization = true)]
public sealed class MemoryReleaseCollection;
