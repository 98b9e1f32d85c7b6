using System.Globalization;
using System.Text;

namespace PluginHost.Benchmarks;

/// <summary>
/// <c>scale --startup</c>: whole processes of the verbs a user or a service manager starts and
/// waits for, without network (the kubeconfig names a server that is never contacted):
/// <c>plugins</c> and <c>check-config</c>, beside <c>--version</c> of the same host (the .NET
/// start-up and command-line parsing alone: the floor no verb can beat), interleaved. With
/// <c>--baseline-host DIR</c> a second install runs in the same rotation, and each of its figures
/// is the baseline of the same verb and environment.
/// </summary>
internal static class StartupRunner
{
    public static async Task<int> RunAsync(ScaleOptions options)
    {
        var hosts = new List<(string Label, HostBinary Binary)> { ("host", HostBinary.From(options.HostFolder)) };
        if (options.BaselineHostFolder is { } baselineFolder)
        {
            hosts.Add(("baseline", HostBinary.From(baselineFolder)));
        }

        var runs = options.Runs == 5 ? 20 : options.Runs;
        var folder = Directory.CreateTempSubdirectory("pluginhost-startup-").FullName;
        try
        {
            var kubeconfig = Path.Combine(folder, "kubeconfig");
            await File.WriteAllTextAsync(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: offline
                  cluster: {server: "https://192.0.2.1:6443", insecure-skip-tls-verify: true}
                users:
                - name: reader
                  user: {token: not-a-secret}
                contexts:
                - name: offline
                  context: {cluster: offline, user: reader}
                current-context: offline
                """);
            var configs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (label, binary) in hosts)
            {
                configs[label] = Path.Combine(folder, $"vitrage-{label}.conf");
                await File.WriteAllTextAsync(configs[label], $"""
                    [datasources]
                    types = kubernetes
                    plugin_path = {binary.PluginFolder}
                    [kubernetes]
                    config_file = {kubeconfig}
                    """);
            }

            var verbs = new (string Label, Func<string, string[]> Arguments)[]
            {
                ("--version (floor)", _ => ["--version"]),
                ("plugins", config => ["plugins", "--config-file", config]),
                ("check-config", config => ["check-config", "--config-file", config]),
            };
            var variants = new List<(string Label, IReadOnlyDictionary<string, string> Environment)> { ("host", new Dictionary<string, string>()) };
            variants.AddRange(options.Variants);
            var cells = (from verb in verbs from host in hosts from variant in variants select (Verb: verb, Host: host, Variant: variant)).ToList();
            var figures = cells.ToDictionary(c => (c.Verb.Label, c.Host.Label, c.Variant.Label), _ => new List<ProcessFigures>());
            var loadBefore = LoadAverage.Now();

            Task<ProcessFigures> Start((string Label, Func<string, string[]> Arguments) verb, (string Label, HostBinary Binary) host,
                (string Label, IReadOnlyDictionary<string, string> Environment) variant) =>
                TimedProcess.RunAsync(host.Binary.Program, host.Binary.Arguments(verb.Arguments(configs[host.Label])), variant.Environment);

            // One warm-up of each: the files in the page cache, as for any repeated command.
            foreach (var (verb, host, variant) in cells)
            {
                (await Start(verb, host, variant)).ExitCode.ShouldBe(0);
            }

            for (var run = 0; run < runs; run++)
            {
                foreach (var (verb, host, variant) in cells.Select((c, i) => (c, i)).OrderBy(x => (x.i + run) % cells.Count).Select(x => x.c))
                {
                    var result = await Start(verb, host, variant);
                    result.ExitCode.ShouldBe(0);
                    figures[(verb.Label, host.Label, variant.Label)].Add(result);
                }
            }

            var loadAfter = LoadAverage.Now();
            var text = new StringBuilder();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"start-up, {string.Join("; ", hosts.Select(h => $"{h.Label}: {h.Binary.Description}"))}; {runs} runs interleaved after one warm-up; load average {loadBefore:F1} before, {loadAfter:F1} after; {PageFaultCost.Describe()}"));
            text.AppendLine();
            text.AppendLine("| verb | install | environment | wall (ms) median (min–max) | CPU (ms) median | peak RSS (MiB) | − floor (ms), median | wall ÷ baseline's |");
            text.AppendLine("|---|---|---|---:|---:|---:|---:|---:|");
            foreach (var (verb, host, variant) in cells)
            {
                var list = figures[(verb.Label, host.Label, variant.Label)];
                var floor = Statistics.Median(figures[(verbs[0].Label, host.Label, variant.Label)].Select(r => r.WallSeconds * 1000).ToList());
                var wall = list.Select(r => r.WallSeconds * 1000).ToList();
                var ratio = hosts.Count == 1 ? "—" : string.Create(CultureInfo.InvariantCulture,
                    $"{Statistics.Median(wall) / Statistics.Median(figures[(verb.Label, hosts[^1].Label, variant.Label)].Select(r => r.WallSeconds * 1000).ToList()):F2}");
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {verb.Label} | {host.Label} | {(variant.Environment.Count == 0 ? "—" : string.Join(" ", variant.Environment.Select(e => $"{e.Key}={e.Value}")))} | {ColdRunner.Spread(wall, "F0")} | {Statistics.Median(list.Select(r => r.CpuSeconds * 1000).ToList()):F0} | {Statistics.Median(list.Select(r => r.PeakMiB).ToList()):F0} | {Statistics.Median(wall) - floor:F0} | {ratio} |"));
            }

            Console.WriteLine(text);
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
