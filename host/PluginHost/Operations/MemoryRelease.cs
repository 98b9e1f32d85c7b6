using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace PluginHost.Operations;

/// <summary>
/// <c>run</c>'s release of memory after complete snapshots have been applied and published: one
/// blocking, compacting collection that returns what the collector no longer needs to the
/// operating system (<see cref="GCCollectionMode.Aggressive"/>), done only while the managed heap
/// holds at most <c>[plugin_host] release_memory_below</c> MiB (the first release: at any size), only
/// when the process allocated at least <see cref="MinAllocatedBytes"/> since the last release, and
/// never while it stops.
/// </summary>
/// <remarks>
/// Why: a snapshot allocates several times the graph it leaves behind (every node's bytes, their
/// parse, the new version), and the collector keeps the memory it committed for that burst, though
/// the next burst is <c>snapshots_interval</c> (600 s) away. At 5,000 nodes that was ~30 MiB of a
/// ~170 MiB process; the release brings it to ~136–141 MiB for a pause of 33–68 ms. Neither a
/// background nor a plain blocking full collection gave anything back (bench/README.md). The pause
/// grows with the heap (127–313 ms at 20,000 nodes, 0.55–0.77 s at 65,000): above the bound the
/// API's answers matter more than the memory, and the collector's own settings
/// (<c>ConserveMemory</c>) are left to do the work, except once: the first release runs whatever
/// the heap holds. The first snapshots build the whole graph and leave the most garbage, which the
/// collector otherwise compacts during the next snapshot: at 65,000 nodes the first steady snapshot
/// took 2.9–3.4 s against 1.3–1.8 s for the later ones; after a first release (0.6–0.9 s, right
/// after the start, while the next snapshot is still 600 s away) it took 1.5 s. The allocation floor keeps small or frequent
/// snapshot ends (a static file, relayed notifications, a relist) from each costing a collection.
/// </remarks>
internal sealed class MemoryRelease(long belowMiB, CancellationToken stopping, ILogger logger)
{
    /// <summary>The default bound: about 20,000 nodes of Kubernetes graph, a pause of at most ~0.3 s.</summary>
    public const int DefaultBelowMiB = 256;

    /// <summary>Less than this allocated since the last release: too little garbage to be worth a full collection.</summary>
    public const long MinAllocatedBytes = 32L << 20;

    private const double MiB = 1024 * 1024;

    private readonly long _belowBytes = belowMiB * 1024 * 1024;
    // What the process had allocated at the last release; none yet: the first complete snapshots
    // may always release (the start's garbage and the first graph), at any heap size.
    private long? _allocatedAtLastRelease;

    /// <summary>Releases memory when it is worth it and within the bound; says what it did.</summary>
    public MemoryReleaseResult AfterSnapshot()
    {
        if (_belowBytes <= 0 || stopping.IsCancellationRequested)
        {
            return MemoryReleaseResult.NotRun(0);
        }

        var allocated = GC.GetTotalAllocatedBytes();
        if (_allocatedAtLastRelease is { } last && allocated - last < MinAllocatedBytes)
        {
            return MemoryReleaseResult.NotRun(0);
        }

        // The heap's objects, live or not yet collected (gen2 garbage included: just after a
        // publication that is much of the previous version). An overestimate of what a compacting
        // collection has to move, so of its pause; not the resident set. Defined before the first
        // collection too, unlike the last collection's figures.
        var heapBytes = GC.GetTotalMemory(forceFullCollection: false);
        if (heapBytes > _belowBytes && _allocatedAtLastRelease is not null)
        {
            logger.LogDebug("Memory not released after the snapshot: the heap holds {Heap:F0} MiB, over release_memory_below ({Below:F0} MiB)",
                heapBytes / MiB, _belowBytes / MiB);
            return MemoryReleaseResult.NotRun(heapBytes);
        }

        // The resident set is what an operator sees (and a container's limit counts).
        var residentBefore = Environment.WorkingSet;
        var started = Stopwatch.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var after = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        _allocatedAtLastRelease = allocated;
        logger.LogDebug("Memory released after the snapshot in {Ms:F0} ms: resident {Before:F0} -> {After:F0} MiB, {Heap:F0} MiB of objects",
            elapsed.TotalMilliseconds, residentBefore / MiB, Environment.WorkingSet / MiB, after.HeapSizeBytes / MiB);
        return new MemoryReleaseResult(true, heapBytes, after.Index, after.Compacted, elapsed);
    }
}

/// <summary>What <see cref="MemoryRelease.AfterSnapshot"/> did.</summary>
/// <param name="Released">Whether the collection ran.</param>
/// <param name="HeapBytes">The heap it judged by (0 when it did not get that far).</param>
/// <param name="CollectionIndex">The index of the full blocking collection it ran (<see cref="GCMemoryInfo.Index"/>; 0 when none ran).</param>
/// <param name="Compacted">Whether that collection compacted.</param>
/// <param name="Pause">How long that collection took.</param>
internal readonly record struct MemoryReleaseResult(bool Released, long HeapBytes, long CollectionIndex, bool Compacted, TimeSpan Pause)
{
    public static MemoryReleaseResult NotRun(long heapBytes) => new(false, heapBytes, 0, false, TimeSpan.Zero);
}
