using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests.Parity;

/// <summary>What a tool did with a kubeconfig.</summary>
internal enum Outcome
{
    /// <summary>Listed the nodes (kubectl exit 0; the plugin's snapshot exit 0).</summary>
    Connects,

    /// <summary>Stopped with an error.</summary>
    Refuses,

    /// <summary>Did not finish before the test's deadline (only kubectl, which has no bound on some waits).</summary>
    Hangs,
}

/// <summary>kubectl's outcome and what its stderr says.</summary>
internal sealed record KubectlExpectation(Outcome Outcome, params string[] Says);

/// <summary>The host's exit codes for <c>check-config</c> and <c>snapshot</c>, and what their output says.</summary>
internal sealed record PluginExpectation(int CheckConfigExit, int SnapshotExit, params string[] Says)
{
    public Outcome Outcome => SnapshotExit == 0 ? Outcome.Connects : Outcome.Refuses;
}

/// <summary>One row of the kubectl-parity table.</summary>
internal sealed class ParityCase
{
    public required string Name { get; init; }

    public SimulatorOptions Simulator { get; init; } = new() { NodeCount = 3, Https = true, Auth = SimulatorAuth.Token };

    /// <summary>Writes files (scripts, tokens, more kubeconfigs) and starts other servers.</summary>
    public Func<ParityRow, Task> Prepare { get; init; } = _ => Task.CompletedTask;

    /// <summary>The kubeconfig written beside the host's config and named by a relative config_file.</summary>
    public Func<ParityRow, string>? Kubeconfig { get; init; }

    /// <summary>Instead of <see cref="Kubeconfig"/>: the value of <c>$KUBECONFIG</c> for both tools (config_file empty).</summary>
    public Func<ParityRow, string>? KubeconfigVariable { get; init; }

    /// <summary>Faults, armed afresh (counters reset) before each tool runs.</summary>
    public Func<ParityRow, IEnumerable<FaultRule>> Faults { get; init; } = _ => [];

    /// <summary>Extra <c>[kubernetes]</c> lines.</summary>
    public string Options { get; init; } = string.Empty;

    public IReadOnlyList<string> KubectlArgs { get; init; } = [];

    public required KubectlExpectation Kubectl { get; init; }

    public required PluginExpectation Plugin { get; init; }

    /// <summary>Why the plugin connects where kubectl does not, or the other way round; null when they agree.</summary>
    public string? Divergence { get; init; }

    /// <summary>More assertions after both ran (e.g. what reached the server).</summary>
    public Action<ParityRow, Kubectl.Result, HostProcess.Result>? Then { get; init; }

    public override string ToString() => Name;
}
