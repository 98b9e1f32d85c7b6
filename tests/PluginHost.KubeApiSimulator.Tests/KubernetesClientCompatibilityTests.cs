using k8s;
using k8s.Autorest;
using k8s.Models;

namespace PluginHost.KubeApiSimulator.Tests;

/// <summary>KubernetesClient, unchanged, against the simulator: list, page, get, watch, auth.</summary>
public sealed class KubernetesClientCompatibilityTests
{
    private static async Task<(KubeApiSimulator Simulator, Kubernetes Client, string Folder)> StartAsync(SimulatorOptions options, string? token = null, bool clientCertificate = false)
    {
        var simulator = await KubeApiSimulator.StartAsync(options, TestContext.Current.CancellationToken);
        var folder = Directory.CreateTempSubdirectory("sim-test-").FullName;
        var kubeconfig = Path.Combine(folder, "kubeconfig");
        await simulator.WriteKubeconfigAsync(kubeconfig, token, clientCertificate);
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        return (simulator, client, folder);
    }

    public static TheoryData<string, bool, SimulatorAuth, bool> Transports => new()
    {
        { "plain HTTP, no auth", false, SimulatorAuth.None, false },
        { "HTTPS, bearer token", true, SimulatorAuth.Token, false },
        { "HTTPS, client certificate", true, SimulatorAuth.ClientCertificate, true },
    };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ListNode_EveryTransport_ListsAndPagesAllNodes(string name, bool https, SimulatorAuth auth, bool clientCertificate)
    {
        var (simulator, client, _) = await StartAsync(new SimulatorOptions { NodeCount = 120, Https = https, Auth = auth }, clientCertificate: clientCertificate);
        await using (simulator)
        using (client)
        {
            var all = await client.CoreV1.ListNodeAsync(cancellationToken: TestContext.Current.CancellationToken);
            all.Items.Count.ShouldBe(120, name);

            var names = new List<string>();
            string? next = null;
            var pages = 0;
            do
            {
                var page = await client.CoreV1.ListNodeAsync(limit: 50, continueParameter: next, cancellationToken: TestContext.Current.CancellationToken);
                names.AddRange(page.Items.Select(n => n.Metadata.Name));
                next = page.Metadata.ContinueProperty;
                pages++;
                if (next is not null)
                {
                    page.Metadata.RemainingItemCount.ShouldBe(120 - names.Count, name);
                }
            }
            while (!string.IsNullOrEmpty(next));

            pages.ShouldBe(3, name);
            names.ShouldBe(all.Items.Select(n => n.Metadata.Name), name);
            names.ShouldBeUnique(name);

            var one = await client.CoreV1.ReadNodeAsync(names[7], cancellationToken: TestContext.Current.CancellationToken);
            one.Metadata.Name.ShouldBe(names[7], name);
            var version = await client.Version.GetCodeAsync(TestContext.Current.CancellationToken);
            version.GitVersion.ShouldBe("v1.31.2", name);
        }
    }

    [Theory]
    [InlineData("wrong token", SimulatorAuth.Token)]
    [InlineData("token where a client certificate is needed", SimulatorAuth.ClientCertificate)]
    public async Task ListNode_BadCredentials_AreRejectedWith401(string name, SimulatorAuth auth)
    {
        var (simulator, client, _) = await StartAsync(new SimulatorOptions { NodeCount = 3, Https = true, Auth = auth }, token: "not-the-token");
        await using (simulator)
        using (client)
        {
            var error = await Should.ThrowAsync<HttpOperationException>(() => client.CoreV1.ListNodeAsync(cancellationToken: TestContext.Current.CancellationToken));
            error.Response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized, name);
            error.Response.Content.ShouldContain("\"kind\":\"Status\"", Case.Sensitive, name);
        }
    }

    [Fact]
    public async Task WatchNode_Changes_ArriveAsAddedModifiedDeleted()
    {
        var (simulator, client, _) = await StartAsync(new SimulatorOptions { NodeCount = 5, Https = true, Auth = SimulatorAuth.Token });
        await using (simulator)
        using (client)
        {
            var list = await client.CoreV1.ListNodeAsync(cancellationToken: TestContext.Current.CancellationToken);
            var seen = new List<(WatchEventType Type, string Name)>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            stop.CancelAfter(TimeSpan.FromSeconds(15));
            var watching = Task.Run(async () =>
            {
                await foreach (var (type, node) in client.CoreV1.WatchListNodeAsync(resourceVersion: list.Metadata.ResourceVersion, cancellationToken: stop.Token))
                {
                    seen.Add((type, node.Metadata.Name));
                    if (seen.Count == 3)
                    {
                        return;
                    }
                }
            }, stop.Token);
            await Task.Delay(300, TestContext.Current.CancellationToken);

            var added = simulator.AddGeneratedNodes(1).Single();
            simulator.Nodes.SetReady(added, "False");
            simulator.Nodes.Delete(added);
            await watching;

            seen.ShouldBe([(WatchEventType.Added, added), (WatchEventType.Modified, added), (WatchEventType.Deleted, added)]);
        }
    }
}
