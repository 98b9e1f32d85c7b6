namespace PluginHost.Benchmarks;

/// <summary>
/// The host processes one whole-process benchmark runs side by side or in turn: this install
/// ("host"), each <c>--variant</c> (the same install with its environment) and, with
/// <c>--baseline-host DIR</c>, another install ("baseline", an earlier commit's) on its own
/// plugins and state_dir.
/// </summary>
internal sealed record ProcessVariant(string Label, IReadOnlyDictionary<string, string> Environment, HostBinary Binary, string Config)
{
    public static async Task<List<ProcessVariant>> ForAsync(ScaleOptions options, HostBinary host, BenchmarkCluster cluster)
    {
        var variants = new List<ProcessVariant> { new("host", new Dictionary<string, string>(), host, cluster.ConfigFile) };
        variants.AddRange(options.Variants.Select(v => new ProcessVariant(v.Label, v.Environment, host, cluster.ConfigFile)));
        if (options.BaselineHostFolder is { } baselineFolder)
        {
            var baseline = HostBinary.From(baselineFolder);
            variants.Add(new("baseline", new Dictionary<string, string>(), baseline, await cluster.ConfigForAsync("baseline", baseline.PluginFolder)));
            Console.Error.WriteLine($"baseline: {baseline.Description}");
        }

        return variants;
    }
}
