using YamlDotNet.RepresentationModel;

namespace PluginHost.Cli;

/// <summary>
/// YamlDotNet's first use in a process costs ~20–25 ms on this project's 2-core bench machine
/// (loading it, its types, and the regular expression <c>AnchorName</c> compiles in its static
/// constructor) before the first document is parsed. <c>check-config</c> parses YAML only after
/// loading the configuration (kubeconfigs, the alarm mapping, the values files), while the second
/// core is idle, so it starts that first use on a thread of its own before it loads anything:
/// 125 and 127 ms against 130 and 168 (medians of 20 processes in two runs; the slowest 153–156
/// against 181–188 ms), at 15 ms more CPU (bench/results/cluster-refresh-2026-11-29.md). A
/// <c>snapshot</c> showed no gain (its node phase keeps both cores busy), so only
/// <c>check-config</c> starts it.
/// </summary>
internal static class YamlWarmUp
{
    // Mappings, a sequence, flow collections and a quoted scalar: the parser paths the real files take.
    private const string Document = "a: [b, {c: 'd'}]\nk:\n  - x: 1\n    y: \"z\"\n";

    /// <summary>Starts parsing a small document on a background thread (never holding the process
    /// open); a failure there changes nothing, as the real parse reports its own.</summary>
    public static Thread Start()
    {
        var thread = new Thread(static () =>
        {
            try
            {
                new YamlStream().Load(new StringReader(Document));
            }
#pragma warning disable CA1031 // a warm-up must never fail the verb that started it
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        })
        {
            IsBackground = true,
            Name = "YAML warm-up",
        };
        thread.Start();
        return thread;
    }
}
