using System.Diagnostics;
using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Operations;

/// <summary>The manifests for running in a cluster, and the RBAC for running outside it, as kubectl reads them.</summary>
public sealed class KubernetesManifestTests
{
    private static string? Kubectl() => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator).Select(p => Path.Combine(p, "kubectl")).FirstOrDefault(File.Exists);

    [Theory]
    [InlineData("in-cluster", "pluginhost.yaml", new[]
    {
        "namespace/pluginhost created (dry run)", "serviceaccount/pluginhost created (dry run)",
        "clusterrole.rbac.authorization.k8s.io/pluginhost-node-reader created (dry run)",
        "clusterrolebinding.rbac.authorization.k8s.io/pluginhost-node-reader created (dry run)",
        "configmap/pluginhost-config created (dry run)", "deployment.apps/pluginhost created (dry run)", "service/pluginhost created (dry run)",
    })]
    [InlineData("outside the cluster", "outside-cluster-rbac.yaml", new[]
    {
        "serviceaccount/pluginhost-reader created (dry run)", "clusterrolebinding.rbac.authorization.k8s.io/pluginhost-reader created (dry run)",
        "secret/pluginhost-reader-token created (dry run)",
    })]
    public async Task KubectlApplyDryRun_Manifest_CreatesEveryObject(string name, string file, string[] expected)
    {
        var kubectl = Kubectl();
        Assert.SkipWhen(kubectl is null, "kubectl is not on PATH");
        await using var cluster = await KubeApiSimulator.KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 1 }, TestContext.Current.CancellationToken);
        using var temp = new TempFolder();
        var kubeconfig = temp.Combine("kubeconfig");
        await cluster.WriteKubeconfigAsync(kubeconfig);
        var start = new ProcessStartInfo(kubectl!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--kubeconfig", kubeconfig, "apply", "--dry-run=client", "--validate=false", "-f", Path.Combine(TestRepository.Root, "etc", "kubernetes", file) })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        process.ExitCode.ShouldBe(0, $"{name}: {stderr}");
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBeSubsetOf(
            expected.Concat(["namespace/pluginhost created (dry run)", "clusterrole.rbac.authorization.k8s.io/pluginhost-node-reader created (dry run)"]), name);
        foreach (var line in expected)
        {
            stdout.ShouldContain(line, Case.Sensitive, name);
        }
    }
}
