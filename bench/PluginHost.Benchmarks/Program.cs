using BenchmarkDotNet.Running;
using PluginHost.Benchmarks;

// micro [BenchmarkDotNet arguments]  |  scale [--nodes 100,1000,5000,20000] [--runs 5] [--out FILE]
// scale --soak [--nodes 5000] [--snapshots 200] [--interval 1s]  |  scale --api [--nodes 5000] [--runs 20]  |  scale --index [--nodes 65000]
// scale --push-latency | --push-load | --push-requests (update_method = push; see bench/README.md)
// scale --cold [--host DIR] [--variant label:K=V,...]  |  scale --startup [--host DIR] [--variant label:K=V,...]
return args.FirstOrDefault() switch
{
    "micro" => RunMicro(args[1..]),
    "scale" when args.Skip(1).Any(arg => arg is "--help" or "-h") => Usage(exitCode: 0),
    "scale" => await RunScaleAsync(args[1..]),
    _ => Usage(),
};

// A mistyped option prints what is wrong and the usage, not a stack trace; only the parse is
// guarded, so an argument error thrown by a run itself still surfaces whole.
static async Task<int> RunScaleAsync(string[] args)
{
    ScaleOptions options;
    try
    {
        options = ScaleOptions.Parse(args);
    }
    catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
    {
        Console.Error.WriteLine($"scale: {e.Message}");
        return Usage();
    }

    return await ScaleCommand.RunAsync(options);
}

static int RunMicro(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(ScaleCommand).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args);
    return 0;
}

static int Usage(int exitCode = 2)
{
    Console.Error.WriteLine("""
        usage: PluginHost.Benchmarks micro [BenchmarkDotNet args, e.g. --filter *Transform*]
               PluginHost.Benchmarks scale [--nodes 100,1000,5000,20000] [--runs 5] [--page-size 500] [--out results.json]
               PluginHost.Benchmarks scale --breakdown [--nodes 5000] [--runs 3]
               PluginHost.Benchmarks scale --soak [--nodes 5000] [--snapshots 200] [--interval 1s] [--out soak.json]
               PluginHost.Benchmarks scale --api [--nodes 5000] [--runs 20]
               PluginHost.Benchmarks scale --index [--nodes 65000] [--runs 5]
               PluginHost.Benchmarks scale --push-latency [--nodes 5000] [--flips 200]
               PluginHost.Benchmarks scale --push-load [--nodes 20000] [--rate 50] [--minutes 10] [--baseline-host OTHER_BUILD_OUTPUT_DIR] [--variant "label:NAME=VALUE,..."]...
               PluginHost.Benchmarks scale --push-requests [--nodes 5000] [--rate 1] [--minutes 60]
               PluginHost.Benchmarks scale --cold [--nodes 5000] [--runs 5] [--host PUBLISHED_DIR] [--baseline-host OTHER_PUBLISHED_DIR] [--no-vitrage] [--variant "label:NAME=VALUE,..."]...
               PluginHost.Benchmarks scale --startup [--runs 20] [--host PUBLISHED_DIR] [--baseline-host OTHER_PUBLISHED_DIR] [--variant "label:NAME=VALUE,..."]...
               PluginHost.Benchmarks scale --run [--nodes 5000] [--snapshots 100] [--interval 10s] [--host PUBLISHED_DIR] [--baseline-host OTHER_PUBLISHED_DIR] [--variant "label:NAME=VALUE,..."]...
        """);
    return exitCode;
}
