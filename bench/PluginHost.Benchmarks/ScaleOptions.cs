using System.Globalization;

namespace PluginHost.Benchmarks;

/// <summary>The <c>scale</c> command's arguments.</summary>
internal sealed record ScaleOptions
{
    public IReadOnlyList<int> Nodes { get; init; } = [100, 1000, 5000, 20000];

    public int Runs { get; init; } = 5;

    public int PageSize { get; init; } = 500;

    public string? Out { get; init; }

    public bool Soak { get; init; }

    public bool Breakdown { get; init; }

    public bool Notifications { get; init; }

    public bool Api { get; init; }

    /// <summary><c>--index</c>: the cost of the resource index of a graph version, in this process.</summary>
    public bool Index { get; init; }

    public bool Cold { get; init; }

    public bool Startup { get; init; }

    /// <summary>A published install folder to start instead of the build output (<c>--host DIR</c>).</summary>
    public string? HostFolder { get; init; }

    /// <summary>
    /// <c>--baseline-host DIR</c>: another host (an install, or a build output folder with its
    /// <c>PluginHost.dll</c> and <c>plugins/</c>), e.g. main's build against a branch's, measured in the
    /// same run so both share the machine's load: <c>--startup</c> times it in the same interleaved
    /// runs, <c>--push-load</c> runs it beside this build on the same cluster and changes.
    /// </summary>
    public string? BaselineHostFolder { get; init; }

    public bool NoVitrage { get; init; }

    /// <summary><c>--api</c>: snapshots every 10 s in the host, so requests meet snapshots being applied.</summary>
    public bool DuringSnapshots { get; init; }

    /// <summary><c>--run</c>: whole <c>run</c> processes for memory after many snapshots.</summary>
    public bool Run { get; init; }

    /// <summary>Host variants timed beside the plain host: <c>--variant "label:NAME=VALUE,NAME=VALUE"</c>.</summary>
    public IReadOnlyList<(string Label, IReadOnlyDictionary<string, string> Environment)> Variants { get; init; } = [];

    public bool PushLatency { get; init; }

    public bool PushLoad { get; init; }

    public bool PushRequests { get; init; }

    /// <summary>Nodes flipped one at a time (<c>--push-latency</c>).</summary>
    public int Flips { get; init; } = 200;

    /// <summary>Node changes per second (<c>--push-load</c>, <c>--push-requests</c>).</summary>
    public double Rate { get; init; } = 50;

    /// <summary>How long the measured window lasts (<c>--push-load</c>, <c>--push-requests</c>).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);

    public int Snapshots { get; init; } = 200;

    /// <summary>Between two snapshots: the soak's pause (default 1 s), <c>--run</c>'s <c>snapshots_interval</c> (default 10 s).</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>The one node count of a single-size run: <c>--nodes</c> when given, else <paramref name="fallback"/>.</summary>
    public int SingleNodeCount(int fallback) => Nodes.Count == 4 && Nodes[0] == 100 ? fallback : Nodes[0];

    public static ScaleOptions Parse(string[] args)
    {
        var options = new ScaleOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--nodes" => options with { Nodes = Next().Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToList() },
                "--runs" => options with { Runs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--page-size" => options with { PageSize = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--out" => options with { Out = Next() },
                "--soak" => options with { Soak = true },
                "--breakdown" => options with { Breakdown = true },
                "--notifications" => options with { Notifications = true },
                "--api" => options with { Api = true },
                "--index" => options with { Index = true },
                "--cold" => options with { Cold = true },
                "--startup" => options with { Startup = true },
                "--host" => options with { HostFolder = Next() },
                "--baseline-host" => options with { BaselineHostFolder = Next() },
                "--no-vitrage" => options with { NoVitrage = true },
                "--during-snapshots" => options with { DuringSnapshots = true },
                "--run" => options with { Run = true },
                "--variant" => options with { Variants = [.. options.Variants, ParseVariant(Next())] },
                "--push-latency" => options with { PushLatency = true },
                "--push-load" => options with { PushLoad = true },
                "--push-requests" => options with { PushRequests = true },
                "--flips" => options with { Flips = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--rate" => options with { Rate = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--minutes" => options with { Duration = TimeSpan.FromMinutes(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--snapshots" => options with { Snapshots = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--interval" => options with { Interval = ParseDuration(Next()) },
                _ => throw new ArgumentException($"unknown argument {args[i]}"),
            };
        }

        return options;
    }

    private static (string, IReadOnlyDictionary<string, string>) ParseVariant(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new ArgumentException($"--variant {text}: expected label:NAME=VALUE[,NAME=VALUE]");
        }

        var environment = text[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length == 2 ? pair[1] : string.Empty, StringComparer.Ordinal);
        return (text[..colon], environment);
    }

    private static TimeSpan ParseDuration(string text) => text.EndsWith("ms", StringComparison.Ordinal)
        ? TimeSpan.FromMilliseconds(double.Parse(text[..^2], CultureInfo.InvariantCulture))
        : text.EndsWith('s') ? TimeSpan.FromSeconds(double.Parse(text[..^1], CultureInfo.InvariantCulture))
        : TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture));
}
