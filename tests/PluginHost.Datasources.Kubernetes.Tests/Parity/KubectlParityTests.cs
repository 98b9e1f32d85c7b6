using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests.Parity;

/// <summary>
/// Issue 12's rule, checked row by row: the same kubeconfig through <c>kubectl get nodes</c> and
/// through the built host's <c>check-config</c> and <c>snapshot</c>, against the simulator. Where
/// kubectl connects the plugin connects; where kubectl refuses the plugin refuses, saying why; a
/// row where they differ must say why it is right that they do. No output of the host ever holds
/// the token or the client key.
/// </summary>
public sealed class KubectlParityTests
{
    public static TheoryData<string> Cases => new(ParityCases.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task GetNodes_SameKubeconfig_KubectlAndThePluginAgree(string name)
    {
        Assert.SkipWhen(Kubectl.Path is null, "kubectl is not installed (expected at /usr/bin/kubectl)");
        var parityCase = ParityCases.All.Single(c => c.Name == name);
        await using var row = await ParityRow.StartAsync(parityCase);

        var kubectl = await row.RunKubectlAsync();
        var (checkConfig, snapshot) = await row.RunHostAsync();

        var kubectlOutcome = kubectl.Hung ? Outcome.Hangs : kubectl.ExitCode == 0 ? Outcome.Connects : Outcome.Refuses;
        kubectlOutcome.ShouldBe(parityCase.Kubectl.Outcome, $"kubectl: {kubectl.Stderr}");
        foreach (var part in parityCase.Kubectl.Says)
        {
            kubectl.Stderr.ShouldContain(Expand(part, row), Case.Sensitive, "kubectl");
        }

        checkConfig.ExitCode.ShouldBe(parityCase.Plugin.CheckConfigExit, $"check-config: {checkConfig.Stderr}");
        snapshot.ExitCode.ShouldBe(parityCase.Plugin.SnapshotExit, $"snapshot: {snapshot.Stderr}");
        foreach (var part in parityCase.Plugin.Says)
        {
            snapshot.Stderr.ShouldContain(Expand(part, row), Case.Sensitive, "snapshot");
            if (checkConfig.ExitCode != 0)
            {
                checkConfig.Stderr.ShouldContain(Expand(part, row), Case.Sensitive, "check-config");
            }
        }

        var kubectlConnects = kubectlOutcome == Outcome.Connects;
        var pluginConnects = parityCase.Plugin.Outcome == Outcome.Connects;
        (parityCase.Divergence is not null).ShouldBe(kubectlConnects != pluginConnects,
            "a row where kubectl and the plugin differ must say why, and only such a row");

        foreach (var output in new[] { checkConfig.Stdout, checkConfig.Stderr, snapshot.Stdout, snapshot.Stderr })
        {
            output.ShouldNotContain("simulator-token");
            output.ShouldNotContain("PRIVATE KEY");
            if (row.Simulator.Certificates is { } pki)
            {
                output.ShouldNotContain(KubeconfigText.Base64(KubeApiSimulator.SimulatorCertificates.PrivateKeyPem(pki.Client))[..40]);
            }
        }

        parityCase.Then?.Invoke(row, kubectl, snapshot);
    }

    private static string Expand(string text, ParityRow row) => text
        .Replace("{folder}", row.Folder, StringComparison.Ordinal)
        .Replace("{server}", row.Simulator.BaseUrl.ToString().TrimEnd('/'), StringComparison.Ordinal)
        .Replace("{other}", row.Cluster is not null && text.Contains("{other}", StringComparison.Ordinal) ? row.Other.BaseUrl.ToString() : string.Empty, StringComparison.Ordinal);
}
