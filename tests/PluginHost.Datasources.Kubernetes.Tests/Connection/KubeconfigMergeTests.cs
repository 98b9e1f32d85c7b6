using PluginHost.KubeApiSimulator;

namespace PluginHost.Datasources.Kubernetes.Tests.Connection;

/// <summary>$KUBECONFIG with several files, merged with kubectl's rules.</summary>
[Collection(nameof(EnvironmentVariableCollection))]
public sealed class KubeconfigMergeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAll_SeveralFiles_FirstFileWinsPerNameCurrentContextFromTheFirstSettingOnePathsFromTheirFile()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 2, Https = true, Auth = SimulatorAuth.Token });
        var sim = cluster.Simulator;

        // a/: the real cluster under the shared name, a context to it, no current-context.
        var first = cluster.WriteFile("a/config", KubeconfigText.For(sim, user: null, contextUser: "b-user", contextName: "merged", currentContext: null));

        // b/: the same cluster name pointing nowhere (must lose), the current-context, and the user
        // whose tokenFile is relative to b/ (must be read from b/, not a/).
        var second = cluster.WriteFile("b/config", KubeconfigText.For(sim, user: "tokenFile: token", contextUser: "b-user", contextName: "other",
            server: "https://127.0.0.1:1", currentContext: "merged").Replace("kind: Config\n", string.Empty, StringComparison.Ordinal));
        cluster.WriteFile("b/token", "simulator-token");
        cluster.WriteFile("empty", string.Empty);

        var events = await WithKubeconfigAsync($"{first}:/nonexistent/config:{cluster.Folder}/empty:{second}", async () =>
        {
            await using var driver = SimulatedCluster.CreateDriver(SimulatedCluster.Settings(string.Empty));
            return await SimulatedCluster.GetAllAsync(driver, Ct);
        });

        events.Count.ShouldBe(3);
        events[^1].Properties.GetProperty("context").GetString().ShouldBe("merged");
    }

    [Fact]
    public async Task GetAll_TwoFilesSettingCurrentContext_TheFirstWins()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 1 });
        var good = cluster.WriteFile("good", KubeconfigText.For(cluster.Simulator, contextName: "good", currentContext: "good", clusterName: "good"));
        var dead = cluster.WriteFile("dead", KubeconfigText.For(cluster.Simulator, contextName: "dead", currentContext: "dead", clusterName: "dead", server: "http://127.0.0.1:1"));

        var events = await WithKubeconfigAsync($"{good}:{dead}", async () =>
        {
            await using var driver = SimulatedCluster.CreateDriver(SimulatedCluster.Settings(string.Empty));
            return await SimulatedCluster.GetAllAsync(driver, Ct);
        });

        events[^1].Properties.GetProperty("context").GetString().ShouldBe("good");
    }

    private static async Task<T> WithKubeconfigAsync<T>(string value, Func<Task<T>> body)
    {
        var previous = Environment.GetEnvironmentVariable("KUBECONFIG");
        Environment.SetEnvironmentVariable("KUBECONFIG", value);
        try
        {
            return await body();
        }
        finally
        {
            Environment.SetEnvironmentVariable("KUBECONFIG", previous);
        }
    }
}
