using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PluginHost.Benchmarks;

/// <summary>
/// <c>scale --cold</c>: a whole <c>pluginhost snapshot --format json</c> process (start-up,
/// configuration, plugin loading, get_all, graph, JSON on a redirected stdout) against OpenStack
/// Vitrage 9's own Kubernetes datasource as a whole process (bench/vitrage/vitrage_k8s_snapshot.py
/// --graph: get_all and its processor into its NetworkX graph) on the same simulated cluster, in
/// the same run, interleaved. Each host variant (environment variables, e.g. runtime knobs) is
/// timed beside the same Vitrage runs, so a lever is measured rather than assumed; with
/// <c>--baseline-host DIR</c> another install (an earlier commit's) runs in the same rotation.
/// </summary>
internal static class ColdRunner
{
    private const string VitragePython = "/usr/bin/python3";

    public static async Task<int> RunAsync(ScaleOptions options)
    {
        var nodes = options.Nodes.Count == 4 && options.Nodes[0] == 100 ? 5000 : options.Nodes[0];
        var host = HostBinary.From(options.HostFolder);
        await using var cluster = await BenchmarkCluster.StartAsync(nodes, options.PageSize, legacyExternalId: true, pluginFolder: host.PluginFolder);
        var script = Path.Combine(BenchmarkPaths.RepositoryRoot, "bench", "vitrage", "vitrage_k8s_snapshot.py");
        var withVitrage = !options.NoVitrage && File.Exists(VitragePython);
        var variants = await ProcessVariant.ForAsync(options, host, cluster);

        Console.Error.WriteLine($"host: {host.Description}; {nodes:N0} nodes; {options.Runs} runs; vitrage: {(withVitrage ? script : "not run")}");
        var loadBefore = LoadAverage.Now();
        await CheckGraphAsync(host, cluster, nodes);
        if (withVitrage)
        {
            await CheckVitrageAsync(script, cluster.Kubeconfig, nodes);
        }

        var warm = await cluster.WarmUpServerAsync(ServerWarmUpRounds, options.PageSize);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"simulator warmed: {ServerWarmUpRounds} reads of the whole list, the last one {warm.TotalMilliseconds:F0} ms of its CPU (its parsing here included)"));

        var vitrage = new List<ProcessFigures>();
        var serverCpu = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var figures = variants.ToDictionary(v => v.Label, _ => new List<ProcessFigures>());
        var loads = new List<double>();
        for (var run = 0; run < options.Runs; run++)
        {
            // The order turns each run, so a burst of load on the shared machine does not always hit the same one.
            var order = variants.Select((v, i) => (v, i)).OrderBy(x => (x.i + run) % variants.Count).Select(x => x.v).ToList();
            if (withVitrage && run % 2 == 0)
            {
                vitrage.Add(await VitrageAsync(script, cluster.Kubeconfig, serverCpu));
            }

            foreach (var (label, environment, binary, config) in order)
            {
                var before = ServerCpuSeconds();
                var result = await TimedProcess.RunAsync(binary.Program, binary.Arguments("snapshot", "--config-file", config, "--format", "json"), environment);
                Require(result, $"snapshot ({label})");
                figures[label].Add(result);
                Add(serverCpu, label, ServerCpuSeconds() - before);
            }

            if (withVitrage && run % 2 == 1)
            {
                vitrage.Add(await VitrageAsync(script, cluster.Kubeconfig, serverCpu));
            }

            loads.Add(LoadAverage.Now());
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run + 1}: {string.Join(", ", variants.Select(v => $"{v.Label} {figures[v.Label][^1].WallSeconds:F2} s"))}{(withVitrage ? $", vitrage {vitrage[^1].WallSeconds:F2} s" : "")}, load {loads[^1]:F1}"));
        }

        Console.WriteLine(Render(nodes, host, variants, figures, vitrage, serverCpu, loadBefore, loads));
        return 0;
    }

    // Enough reads for the simulator's code to reach its final tier (measured: the CPU of a read
    // settles at ~0.05 s after ~8 of them).
    private const int ServerWarmUpRounds = 16;

    private const string VitrageLabel = "vitrage";

    // The simulator serves from this process, which otherwise waits: its CPU during a timed process
    // is what serving the lists cost (and draining the host's stdout).
    private static double ServerCpuSeconds() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static void Add(Dictionary<string, List<double>> serverCpu, string label, double seconds)
    {
        if (!serverCpu.TryGetValue(label, out var list))
        {
            serverCpu[label] = list = [];
        }

        list.Add(seconds);
    }

    private static async Task<ProcessFigures> VitrageAsync(string script, string kubeconfig, Dictionary<string, List<double>> serverCpu)
    {
        var before = ServerCpuSeconds();
        var result = await TimedProcess.RunAsync(VitragePython, [script, "--kubeconfig", kubeconfig, "--graph"]);
        Require(result, "vitrage");
        Add(serverCpu, VitrageLabel, ServerCpuSeconds() - before);
        return result;
    }

    private static void Require(ProcessFigures result, string what)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} exited {result.ExitCode}: {result.StandardError}");
        }
    }

    // Before any timing: the host's JSON holds the whole graph, so a fast run is a correct one.
    private static async Task CheckGraphAsync(HostBinary host, BenchmarkCluster cluster, int nodes)
    {
        var output = Path.Combine(cluster.Folder, "graph.json");
        var start = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" > " + output);
        start.ArgumentList.Add(host.Program);
        foreach (var arg in host.Arguments("snapshot", "--config-file", cluster.ConfigFile, "--format", "json"))
        {
            start.ArgumentList.Add(arg);
        }

        using (var process = System.Diagnostics.Process.Start(start)!)
        {
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            process.ExitCode.ShouldBe(0);
            await errors;
        }

        await using var stream = File.OpenRead(output);
        using var graph = await JsonDocument.ParseAsync(stream);
        // The cluster, each node and its VM; alarms (NotReady nodes and the like) come on top, each with its link.
        var resources = graph.RootElement.GetProperty("nodes").EnumerateArray().Count(v => v.GetProperty("vitrage_category").GetString() == "RESOURCE");
        resources.ShouldBe((2 * nodes) + 1);
        var alarms = graph.RootElement.GetProperty("nodes").GetArrayLength() - resources;
        graph.RootElement.GetProperty("links").GetArrayLength().ShouldBe((3 * nodes) + alarms);
        Console.Error.WriteLine($"graph checked: {resources:N0} resources, {alarms:N0} alarms");
        File.Delete(output);
    }

    private static async Task CheckVitrageAsync(string script, string kubeconfig, int nodes)
    {
        var start = new System.Diagnostics.ProcessStartInfo(VitragePython) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, "--kubeconfig", kubeconfig, "--graph" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"vitrage exited {process.ExitCode}: {await errors}");
        }

        using var result = JsonDocument.Parse(await output);
        result.RootElement.GetProperty("vertices").GetInt32().ShouldBe(nodes + 1); // the cluster and one nova.instance per node
    }

    private static string Render(int nodes, HostBinary host, List<ProcessVariant> variants,
        Dictionary<string, List<ProcessFigures>> figures, List<ProcessFigures> vitrage, Dictionary<string, List<double>> serverCpu, double loadBefore, List<double> loads)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"cold `snapshot --format json`, {nodes:N0} OpenStack nodes, {host.Description}; {figures["host"].Count} runs interleaved; load average {loadBefore:F1} before, {loads.Min():F1}–{loads.Max():F1} during; {PageFaultCost.Describe()}"));
        text.AppendLine();
        // The VM's speed drifts within a run: each process beside the baseline's process of the same
        // turn (wall ÷ baseline wall) shows a difference the spread of the medians hides.
        var baseline = figures.GetValueOrDefault("baseline");
        text.AppendLine("| process | environment | wall (s) median (min–max) | CPU (s) median | simulator's CPU meanwhile (s) median | peak RSS (MiB) median (min–max) | Vitrage wall ÷ this wall: median (min–max over runs) | this wall ÷ baseline wall, same turn: median (min–max) |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (label, environment, _, _) in variants)
        {
            var runs = figures[label];
            var ratios = vitrage.Count == 0 ? [] : runs.Select((r, i) => vitrage[Math.Min(i, vitrage.Count - 1)].WallSeconds / r.WallSeconds).ToList();
            var paired = baseline is null ? [] : runs.Select((r, i) => r.WallSeconds / baseline[i].WallSeconds).ToList();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {(environment.Count == 0 ? "—" : string.Join(" ", environment.Select(e => $"{e.Key}={e.Value}")))} | {Spread(runs.Select(r => r.WallSeconds), "F2")} | {Statistics.Median(runs.Select(r => r.CpuSeconds).ToList()):F2} | {Statistics.Median(serverCpu[label]):F2} | {Spread(runs.Select(r => r.PeakMiB), "F0")} | {(ratios.Count == 0 ? "—" : Spread(ratios, "F1") + "×")} | {(paired.Count == 0 ? "—" : Spread(paired, "F2"))} |"));
        }

        if (vitrage.Count > 0)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| Vitrage 9 (get_all + processor, `{VitragePython}`) | — | {Spread(vitrage.Select(r => r.WallSeconds), "F2")} | {Statistics.Median(vitrage.Select(r => r.CpuSeconds).ToList()):F2} | {Statistics.Median(serverCpu[VitrageLabel]):F2} | {Spread(vitrage.Select(r => r.PeakMiB), "F0")} | 1× | — |"));
        }

        return text.ToString();
    }

    internal static string Spread(IEnumerable<double> values, string format)
    {
        var list = values.ToList();
        var f = "{0:" + format + "} ({1:" + format + "}–{2:" + format + "})";
        return string.Format(CultureInfo.InvariantCulture, f, Statistics.Median(list), list.Min(), list.Max());
    }
}
