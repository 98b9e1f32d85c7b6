using System.Diagnostics;
using System.Globalization;
using System.Text;
using PluginHost.Api.Query;
using PluginHost.Api.Views;
using PluginHost.Benchmarks.Micro;
using PluginHost.Graph;

namespace PluginHost.Benchmarks;

/// <summary>
/// What the resource index of a graph version costs and buys, in this process on a graph of
/// simulator nodes built through the real transformers and <see cref="EntityGraph"/>: building it
/// from nothing (time, managed memory it keeps), updating it for a version in which every vertex
/// changed but no indexed value did (a steady snapshot) or 1 % of the nodes changed state, and the
/// filtered lists read through it against the same lists read from every vertex.
/// </summary>
internal static class IndexRunner
{
    public static int Run(ScaleOptions options)
    {
        var nodes = options.SingleNodeCount(65000);
        var runs = options.Runs;
        var loadBefore = LoadAverage.Now();
        var graph = new EntityGraph(TimeProvider.System);
        var events = BenchmarkData.SnapshotEvents(nodes);
        foreach (var e in events)
        {
            graph.Apply(BenchmarkData.Transformers[e.EntityType].Transform(e), "kubernetes", e.SampleTime);
        }

        var first = graph.Publish();
        var vertices = first.Vertices.Values.ToArray();
        var held = vertices.Count(ResourceIndex.Holds);

        // A steady snapshot: every vertex reported again at a later sample time, nothing else changes.
        var later = DateTimeOffset.UtcNow.AddSeconds(1);
        foreach (var e in events)
        {
            graph.Apply(BenchmarkData.Transformers[e.EntityType].Transform(e), "kubernetes", later);
        }

        var publishClock = Stopwatch.StartNew();
        var second = graph.Publish();
        var steadyPublishMs = publishClock.Elapsed.TotalMilliseconds;
        var pairs = vertices.Select(v => (Before: v, After: second.Find(v.Key)!)).ToArray();
        var someNodes = vertices.Where(v => ResourceIndex.Holds(v) && v.Type == "kubernetes.node").ToArray();
        var flipped = someNodes.Take(someNodes.Length / 100)
            .Select(v => (Before: v, After: v with { State = v.State == "Ready" ? "NotReady" : "Ready" })).ToArray();

        var build = new List<double>();
        var steady = new List<double>();
        var flips = new List<double>();
        long retained = 0;
        for (var run = 0; run < runs + 1; run++)
        {
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var clock = Stopwatch.StartNew();
            var builder = ResourceIndex.Empty.ToBuilder();
            foreach (var v in vertices)
            {
                builder.Replace(null, v);
            }

            var index = builder.ToImmutable();
            var buildMs = clock.Elapsed.TotalMilliseconds;
            retained = GC.GetTotalMemory(forceFullCollection: true) - before;
            GC.KeepAlive(index);

            clock.Restart();
            var next = first.Resources.ToBuilder();
            foreach (var (b, a) in pairs)
            {
                next.Replace(b, a);
            }

            next.ToImmutable();
            var steadyMs = clock.Elapsed.TotalMilliseconds;

            clock.Restart();
            next = first.Resources.ToBuilder();
            foreach (var (b, a) in flipped)
            {
                next.Replace(b, a);
            }

            next.ToImmutable();
            var flipMs = clock.Elapsed.TotalMilliseconds;
            if (run > 0) // the first is the warm-up
            {
                build.Add(buildMs);
                steady.Add(steadyMs);
                flips.Add(flipMs);
            }
        }

        var name = someNodes[someNodes.Length / 2].Name!;
        var queries = new (string Name, string? Type, string? Query)[]
        {
            ("--type kubernetes.node --filter state NotReady", "kubernetes.node", """{"==": {"state": "NotReady"}}"""),
            ("--filter name ==", null, $$$"""{"==": {"name": "{{{name}}}"}}"""),
            ("--type kubernetes.node (all of them)", "kubernetes.node", null),
        };
        var table = new StringBuilder();
        table.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"resource index, {nodes:N0} nodes ({vertices.Length:N0} vertices, {held:N0} held), {runs} runs after one warm-up, in this process; times in ms: median (min–max); load average {loadBefore:F1} before, {LoadAverage.Now():F1} after"));
        table.AppendLine();
        table.AppendLine("| what | time | note |");
        table.AppendLine("|---|---:|---|");
        table.AppendLine(Row("build from nothing (every held vertex)", build, string.Create(CultureInfo.InvariantCulture, $"keeps {retained / 1024.0 / 1024.0:F1} MiB of managed memory")));
        table.AppendLine(Row("update for a steady snapshot (every vertex new, no indexed value changed)", steady, string.Create(CultureInfo.InvariantCulture, $"whole publication of that version: {steadyPublishMs:F0} ms (one run)")));
        table.AppendLine(Row($"update for {flipped.Length:N0} state changes (1 % of the nodes)", flips, ""));
        foreach (var (label, type, query) in queries)
        {
            var predicate = query is null ? null : QueryParser.Parse(query);
            var indexed = new List<double>();
            var scanned = new List<double>();
            var count = 0;
            for (var run = 0; run < runs + 1; run++)
            {
                var clock = Stopwatch.StartNew();
                count = ResourceReader.List(second, TenantScope.Everything, type, predicate).Count;
                var indexedMs = clock.Elapsed.TotalMilliseconds;
                clock.Restart();
                var scanCount = ResourceReader.ListByScan(second, TenantScope.Everything, type, predicate).Count;
                var scannedMs = clock.Elapsed.TotalMilliseconds;
                if (scanCount != count)
                {
                    throw new InvalidOperationException($"{label}: the index selected {count}, the scan {scanCount}");
                }

                if (run > 0)
                {
                    indexed.Add(indexedMs);
                    scanned.Add(scannedMs);
                }
            }

            table.AppendLine(Row($"select `resource list {label}` through the index ({count:N0} found)", indexed,
                string.Create(CultureInfo.InvariantCulture, $"every vertex read: {Statistics.Median(scanned):F1} ({scanned.Min():F1}–{scanned.Max():F1}), {Statistics.Median(scanned) / Statistics.Median(indexed):F0}×")));

            var written = new List<double>();
            long bytes = 0;
            var answer = ResourceReader.List(second, TenantScope.Everything, type, predicate);
            for (var run = 0; run < runs + 1; run++)
            {
                var clock = Stopwatch.StartNew();
                bytes = WriteAnswer(answer);
                if (run > 0)
                {
                    written.Add(clock.Elapsed.TotalMilliseconds);
                }
            }

            table.AppendLine(Row($"write that answer as the API does ({bytes / 1024.0 / 1024.0:F1} MiB)", written, "Utf8JsonWriter, flushed every 16 KiB"));
        }

        Console.WriteLine(table);
        return 0;
    }

    // As ResourceEndpoints writes a list, into a stream that only counts.
    private static long WriteAnswer(List<VertexView> answer)
    {
        using var stream = new CountingStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            foreach (var resource in answer)
            {
                PluginHost.Outputs.VertexJson.Write(writer, resource);
                if (writer.BytesPending > 16 * 1024)
                {
                    writer.Flush();
                }
            }

            writer.WriteEndArray();
        }

        return stream.Length;
    }

    private static string Row(string what, List<double> times, string note) =>
        string.Create(CultureInfo.InvariantCulture, $"| {what} | {Statistics.Median(times):F2} ({times.Min():F2}–{times.Max():F2}) | {note} |");
}
