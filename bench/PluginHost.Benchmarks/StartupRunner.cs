using System.Globalization;
using System.Text;

namespace PluginHost.Benchmarks;

/// <summary>
/// <c>scale --startup</c>: whole processes of the verbs a user or a service manager starts and
/// waits for, without network (the kubeconfig names a server that is never contacted):
/// <c>plugins</c> and <c>check-config</c>, beside <c>--version</c> of the same host (the .NET
/// start-up and command-line parsing alone: the floor no verb can beat), interleaved.
/// </summary>
internal static class StartupRunner
{
    public static async Task<int> RunAsync(ScaleOptions options)
    {
        var host = HostBinary.From(options.HostFolder);
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
            var config = Path.Combine(folder, "vitrage.conf");
            await File.WriteAllTextAsync(config, $"""
                [datasources]
                types = kubernetes
                plugin_path = {host.PluginFolder}
                [kubernetes]
                config_file = {kubeconfig}
                """);
            var verbs = new (string Label, string[] Arguments)[]
            {
                ("--version (floor)", ["--version"]),
                ("plugins", ["plugins", "--config-file", config]),
                ("check-config", ["check-config", "--config-file", config]),
            };
            var variants = new List<(string Label, IReadOnlyDictionary<string, string> Environment)> { ("host", new Dictionary<string, string>()) };
            variants.AddRange(options.Variants);
            var cells = verbs.SelectMany(v => variants.Select(x => (Verb: v, Variant: x))).ToList();
            var figures = cells.ToDictionary(c => (c.Verb.Label, c.Variant.Label), _ => new List<ProcessFigures>());
            var loadBefore = LoadAverage.Now();

            // One warm-up of each: the files in the page cache, as for any repeated command.
            foreach (var (verb, variant) in cells)
            {
                (await TimedProcess.RunAsync(host.Program, host.Arguments(verb.Arguments), variant.Environment)).ExitCode.ShouldBe(0);
            }

            for (var run = 0; run < runs; run++)
            {
                foreach (var (verb, variant) in cells.Select((c, i) => (c, i)).OrderBy(x => (x.i + run) % cells.Count).Select(x => x.c))
                {
                    var result = await TimedProcess.RunAsync(host.Program, host.Arguments(verb.Arguments), variant.Environment);
                    result.ExitCode.ShouldBe(0);
                    figures[(verb.Label, variant.Label)].Add(result);
                }
            }

            var loadAfter = LoadAverage.Now();
            var text = new StringBuilder();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"start-up, {host.Description}; {runs} runs interleaved after one warm-up; load average {loadBefore:F1} before, {loadAfter:F1} after"));
            text.AppendLine();
            text.AppendLine("| verb | environment | wall (ms) median (min–max) | CPU (ms) median | peak RSS (MiB) | − floor (ms), median |");
            text.AppendLine("|---|---|---:|---:|---:|---:|");
            foreach (var (verb, variant) in cells)
            {
                var list = figures[(verb.Label, variant.Label)];
                var floor = Statistics.Median(figures[(verbs[0].Label, variant.Label)].Select(r => r.WallSeconds * 1000).ToList());
                var wall = list.Select(r => r.WallSeconds * 1000).ToList();
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {verb.Label} | {(variant.Environment.Count == 0 ? "—" : string.Join(" ", variant.Environment.Select(e => $"{e.Key}={e.Value}")))} | {ColdRunner.Spread(wall, "F0")} | {Statistics.Median(list.Select(r => r.CpuSeconds * 1000).ToList()):F0} | {Statistics.Median(list.Select(r => r.PeakMiB).ToList()):F0} | {Statistics.Median(wall) - floor:F0} |"));
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
