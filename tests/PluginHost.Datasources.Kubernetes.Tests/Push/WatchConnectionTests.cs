using System.Text.Json.Nodes;
using PluginHost.KubeApiSimulator;

namespace PluginHost.Datasources.Kubernetes.Tests.Push;

/// <summary>The watch goes through the same connection as the list: kubeconfig credentials, TLS, bounded reads.</summary>
public sealed class WatchConnectionTests
{
    public static TheoryData<string, bool, SimulatorAuth, string?> Transports => new()
    {
        { "HTTPS with a bearer token", true, SimulatorAuth.Token, null },
        { "HTTPS with a client certificate", true, SimulatorAuth.ClientCertificate, KubeconfigUser.ClientCertificate },
        { "HTTP with a tokenFile", false, SimulatorAuth.Token, KubeconfigUser.TokenFile },
    };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Watch_KubeconfigCredentials_AreSentOnEveryWatch(string name, bool https, SimulatorAuth auth, string? user)
    {
        await using var watched = await WatchedCluster.StartAsync(new SimulatorOptions { NodeCount = 3, Https = https, Auth = auth },
            useWatchList: "false", kubeconfig: c => KubeconfigUser.Write(c, user));
        var simulator = watched.Simulator;
        simulator.Nodes.SetReady(simulator.Nodes.Names[0], "False");
        await watched.WaitForAsync(e => WatchedCluster.NodeName(e) == simulator.Nodes.Names[0], $"the first change ({name})");
        simulator.DropWatches(); // the next watch authenticates again
        simulator.Nodes.SetReady(simulator.Nodes.Names[1], "False");

        await watched.WaitForAsync(e => WatchedCluster.NodeName(e) == simulator.Nodes.Names[1], $"the change after the drop ({name})");

        simulator.Counters.WatchRequests.ShouldBe(2, name);
        watched.Logger.Warnings.ShouldBeEmpty(name);
    }

    [Fact]
    public async Task Watch_TokenFileRotated_TheNextWatchSendsTheNewToken()
    {
        await using var watched = await WatchedCluster.StartAsync(new SimulatorOptions { NodeCount = 3, Auth = SimulatorAuth.Token },
            useWatchList: "false", kubeconfig: c => KubeconfigUser.Write(c, KubeconfigUser.TokenFile));
        var simulator = watched.Simulator;
        simulator.Nodes.SetReady(simulator.Nodes.Names[0], "False");
        await watched.WaitForAsync(e => WatchedCluster.NodeName(e) == simulator.Nodes.Names[0], "the first change");

        File.WriteAllText(Path.Combine(watched.Cluster.Folder, "token"), "rotated-token");
        simulator.AcceptedToken = "rotated-token";
        simulator.DropWatches();
        simulator.Nodes.SetReady(simulator.Nodes.Names[1], "False");

        await watched.WaitForAsync(e => WatchedCluster.NodeName(e) == simulator.Nodes.Names[1], "the change, watched with the rotated token");
        simulator.Counters.WatchRequests.ShouldBe(2);
        watched.Counters["watch_backoffs"].ShouldBe(0);
    }

    [Fact]
    public async Task Watch_EventLargerThanMaxPageBytes_FailsTheStreamClearlyAndBacksOff()
    {
        await using var watched = await WatchedCluster.StartAsync(new SimulatorOptions { NodeCount = 2 }, useWatchList: "false", maxPageBytes: 1 << 16);
        var simulator = watched.Simulator;
        await watched.WaitUntilAsync(() => simulator.OpenWatches == 1, "the watch");

        simulator.Nodes.Modify(simulator.Nodes.Names[0], node => node["metadata"]!["annotations"] = new JsonObject { ["huge"] = new string('x', 100_000) });

        await watched.WaitUntilAsync(() => watched.Counters["watch_backoffs"] >= 2, "two failed watches", seconds: 20);
        var failures = watched.Logger.Warnings.Where(w => w.Contains("failed", StringComparison.Ordinal)).ToList();
        failures[0].ShouldContain("a watch event is larger than 65536 bytes ([kubernetes] max_page_bytes)");
        failures[0].ShouldContain("trying again in");
        watched.Changes.ShouldBeEmpty(); // never a part of an event
    }

    /// <summary>Kubeconfig users for a simulator, written into the cluster's folder.</summary>
    private static class KubeconfigUser
    {
        public const string ClientCertificate = "client-certificate";
        public const string TokenFile = "tokenFile";

        public static string Write(SimulatedCluster cluster, string? user)
        {
            var lines = user switch
            {
                ClientCertificate => KubeconfigText.ClientCertificate(cluster.Simulator),
                TokenFile => $"tokenFile: {cluster.WriteFile("token", cluster.Simulator.Options.Token)}",
                _ => KubeconfigText.Token,
            };
            return cluster.WriteFile("watch.kubeconfig", KubeconfigText.For(cluster.Simulator, user: lines));
        }
    }
}
