using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace PluginHost.Operations;

/// <summary>
/// <c>run</c>'s release of memory after a complete snapshot has been applied and published: one
/// blocking, compacting collection that returns what the collector no longer needs to the
/// operating system (<see cref="GCCollectionMode.Aggressive"/>), done only while the managed heap
/// holds at most <c>[plugin_host] release_memory_below</c> MiB.
/// </summary>
/// <remarks>
/// Why: a snapshot allocates several times the graph it leaves behind (every node's bytes, their
/// parse, the new version), and the collector keeps the memory it committed for that burst, though
/// the next burst is <c>snapshots_interval</c> (600 s) away. At 5,000 nodes that was ~30 MiB of a
/// ~165 MiB process; the release brings it to ~136 MiB for a pause of 33–68 ms. Neither a
/// background nor a plain blocking full collection gave anything back (bench/README.md). The pause
/// grows with the heap (0.14–0.31 s at 20,000 nodes, 0.55–0.77 s at 65,000): above the bound the
/// API's answers matter more than the memory, and the collector's own settings
/// (<c>ConserveMemory</c>) are left to do the work.
/// </remarks>
internal sealed class MemoryRelease(long belowBytes, ILogger logger)
{
    /// <summary>The default bound: about 20,000 nodes of Kubernetes graph, a pause of at most ~0.3 s.</summary>
    public const int DefaultBelowMiB = 256;

    private const double MiB = 1024 * 1024;

    /// <summary>Releases memory when the heap is within the bound; says what it did.</summary>
    public MemoryReleaseResult AfterSnapshot()
    {
        if (belowBytes <= 0)
        {
            return MemoryReleaseResult.Off;
        }

        // The objects on the heap, live or not yet collected (at most a young generation's budget of
        // garbage): what a compacting collection has to go through, so what its pause grows with.
        // Defined before the first collection too, unlike the last collection's figures.
        var heapBytes = GC.GetTotalMemory(forceFullCollection: false);
        if (heapBytes > belowBytes)
        {
            logger.LogDebug("Memory not released after the snapshot: the heap holds {Heap:F0} MiB, over release_memory_below ({Below:F0} MiB)",
                heapBytes / MiB, belowBytes / MiB);
            return MemoryReleaseResult.HeapTooLarge(heapBytes);
        }

        // The resident set is what an operator sees (and a container's limit counts); unlike the
        // collector's figures it is defined before the first collection too.
        var residentBefore = Environment.WorkingSet;
        var started = Stopwatch.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var after = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        logger.LogDebug("Memory released after the snapshot in {Ms:F0} ms: resident {Before:F0} -> {After:F0} MiB, {Heap:F0} MiB of objects",
            elapsed.TotalMilliseconds, residentBefore / MiB, Environment.WorkingSet / MiB, after.HeapSizeBytes / MiB);
        return new MemoryReleaseResult(true, heapBytes, after.Index, elapsed);
    }
}

/// <summary>What <see cref="MemoryRelease.AfterSnapshot"/> did.</summary>
/// <param name="Released">Whether the collection ran.</param>
/// <param name="HeapBytes">The heap it judged by (0 when off).</param>
/// <param name="CollectionIndex">The index of the full blocking collection it ran (<see cref="GCMemoryInfo.Index"/>; 0 when none ran).</param>
/// <param name="Pause">How long that collection took.</param>
internal readonly record struct MemoryReleaseResult(bool Released, long HeapBytes, long CollectionIndex, TimeSpan Pause)
{
    public static MemoryReleaseResult Off => default;

    public static MemoryReleaseResult HeapTooLarge(long heapBytes) => new(false, heapBytes, 0, TimeSpan.Zero);
}
