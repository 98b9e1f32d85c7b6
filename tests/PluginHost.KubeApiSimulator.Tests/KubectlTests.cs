using System.Diagnostics;
using System.Text.Json;

namespace PluginHost.KubeApiSimulator.Tests;

/// <summary>kubectl is not a dependency: these tests skip, saying so, when it is not on PATH.</summary>
public sealed class KubectlTests
{
    private static string? Kubectl() => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator).Select(p => Path.Combine(p, "kubectl")).FirstOrDefault(File.Exists);

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string kubectl, string kubeconfig, params string[] args)
    {
        var start = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Theory]
    [InlineData("get nodes", new[] { "get", "nodes", "--no-headers" })]
    [InlineData("get nodes -o wide", new[] { "get", "nodes", "-o", "wide", "--no-headers" })]
    public async Task Kubectl_GetNodes_ListsEveryNode(string name, string[] args)
    {
        var kubectl = Kubectl();
        Assert.SkipWhen(kubectl is null, "kubectl is not on PATH (it is optional; install it to run this test)");
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 120, Https = true, Auth = SimulatorAuth.Token }, TestContext.Current.CancellationToken);
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("kubectl-").FullName, "config");
        await simulator.WriteKubeconfigAsync(kubeconfig);

        var (exitCode, stdout, stderr) = await RunAsync(kubectl!, kubeconfig, args);

        exitCode.ShouldBe(0, stderr);
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(120, name);
    }

    [Fact]
    public async Task Kubectl_GetNodesJsonInChunks_PagesThroughEveryNode()
    {
        var kubectl = Kubectl();
        Assert.SkipWhen(kubectl is null, "kubectl is not on PATH (it is optional; install it to run this test)");
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 120, Https = true, Auth = SimulatorAuth.ClientCertificate }, TestContext.Current.CancellationToken);
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("kubectl-").FullName, "config");
        await simulator.WriteKubeconfigAsync(kubeconfig);

        var (exitCode, stdout, stderr) = await RunAsync(kubectl!, kubeconfig, "get", "nodes", "-o", "json", "--chunk-size=50");

        exitCode.ShouldBe(0, stderr);
        JsonDocument.Parse(stdout).RootElement.GetProperty("items").GetArrayLength().ShouldBe(120);
        simulator.Counters.ContinueRequests.ShouldBe(2);
    }

    [Fact]
    public async Task Kubectl_GetNodes_ShowsTheDefaultColumnsLikeARealApiserver()
    {
        var kubectl = Kubectl();
        Assert.SkipWhen(kubectl is null, "kubectl is not on PATH (it is optional; install it to run this test)");
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 3 }, TestContext.Current.CancellationToken);
        simulator.Nodes.SetReady(simulator.Nodes.Names[1], "False");
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("kubectl-").FullName, "config");
        await simulator.WriteKubeconfigAsync(kubeconfig);

        var (exitCode, stdout, stderr) = await RunAsync(kubectl!, kubeconfig, "get", "nodes");

        exitCode.ShouldBe(0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["NAME", "STATUS", "ROLES", "AGE", "VERSION"]);
        lines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).ShouldBe(["Ready", "NotReady", "Ready"]);
        lines[1].ShouldContain("control-plane");
        lines[1].ShouldContain("v1.31.2");
    }
}
