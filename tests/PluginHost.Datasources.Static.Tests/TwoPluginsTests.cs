using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PluginHost.Configuration;
using PluginHost.Graph;
using PluginHost.KubeApiSimulator;
using PluginHost.Scheduling;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Static.Tests;

/// <summary>The Kubernetes and static plugins loaded together from the real plugins folder.</summary>
public sealed class TwoPluginsTests
{
    private static DatasourceScheduler Start(TempFolder temp, string kubeconfig, string staticFolder, TimeProvider time)
    {
        var config = temp.File("vitrage.conf", $"""
            [datasources]
            types = kubernetes, static
            plugin_path = {TestRepository.HostPluginFolder}
            [kubernetes]
            config_file = {kubeconfig}
            [static]
            directory = {staticFolder}
            [plugin_host]
            retry_initial_delay = 10
            """);
        var configuration = HostConfigurationLoader.Load(ConfigFileSet.Load([config], []));
        configuration.Datasources.Select(d => d.Plugin.Folder).ShouldAllBe(f => f.StartsWith(TestRepository.HostPluginFolder, StringComparison.Ordinal));
        return DatasourceScheduler.Create(configuration, NullLoggerFactory.Instance, time);
    }

    [Fact]
    public async Task Snapshot_StaticVmWithTheNodesProviderId_MergesIntoOneVertexLinkingNodeAndSwitch()
    {
        await using var simulator = await KubeApiSimulator.KubeApiSimulator.StartAsync(
            new SimulatorOptions { NodeCount = 0, IncludeVitrageSpecNode = true }, TestContext.Current.CancellationToken);
        using var temp = new TempFolder();
        var kubeconfig = temp.Combine("kubeconfig");
        await simulator.WriteKubeconfigAsync(kubeconfig);
        temp.File("static/rack.yaml", $"""
            metadata: {"{"}name: rack{"}"}
            definitions:
              entities:
                - {"{"}static_id: sw, type: switch, id: tor-1, name: tor-1, state: available{"}"}
                - {"{"}static_id: vm, type: nova.instance, id: {VitrageSpecFixture.InstanceId}, name: not-applied{"}"}
              relationships:
                - {"{"}source: sw, target: vm, relationship_type: attached{"}"}
            """);
        await using var host = Start(temp, kubeconfig, temp.Combine("static"), TimeProvider.System);

        (await host.SnapshotOnceAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();

        var graph = host.Graph;
        var vms = graph.LiveVertices.Where(v => v.Type == "nova.instance").ToList();
        var vm = vms.ShouldHaveSingleItem();
        vm.Id.ShouldBe(VitrageSpecFixture.InstanceId);
        vm.IsPlaceholder.ShouldBeTrue(); // Nova would own it; neither plugin made it theirs
        vm.DatasourceName.ShouldBeNull();
        vm.Edges.Where(e => !e.IsDeleted).Select(e => $"{e.Source.Type} {e.RelationshipType} {e.Target.Type}").Order().ShouldBe(
        [
            "kubernetes comprised nova.instance",
            "nova.instance contains kubernetes.node",
            "switch attached nova.instance",
        ]);
        graph.LiveVertices.Single(v => v.Type == "switch").DatasourceName.ShouldBe("static");
    }

    [Fact]
    public async Task Run_KubernetesDriverFailing_StaticUpdatesKeepFlowing()
    {
        await using var simulator = await KubeApiSimulator.KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 3 }, TestContext.Current.CancellationToken);
        simulator.Faults.Add(new FaultRule(FaultKind.InternalError));
        using var temp = new TempFolder();
        var kubeconfig = temp.Combine("kubeconfig");
        await simulator.WriteKubeconfigAsync(kubeconfig);
        temp.File("static/a.yaml", StaticFolder.VitrageSample);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = Start(temp, kubeconfig, temp.Combine("static"), time);
        using var stop = new CancellationTokenSource();
        var running = host.RunAsync(stop.Token);

        var kubernetes = host.Runners.Single(r => r.Name == "kubernetes");
        await WaitAsync(host, g => g.LiveVertices.Count(v => v.Type == "switch") == 2 && kubernetes.Status.Current.FailedSnapshots == 1);
        temp.File("static/b.yaml", "definitions:\n  entities:\n    - {static_id: p, type: pdu, id: pdu-7, name: pdu-7}\n");

        // changes_interval: static pulls, Kubernetes retries and fails again. A runner that had not
        // started waiting when the clock moved waits for the next move, hence the few tries.
        for (var attempt = 0; attempt < 5 && !(HasPdu(host) && kubernetes.Status.Current.FailedSnapshots >= 2); attempt++)
        {
            time.Advance(TimeSpan.FromSeconds(30));
            await WaitAsync(host, g => HasPdu(host) && kubernetes.Status.Current.FailedSnapshots >= 2, TimeSpan.FromSeconds(2), throwOnTimeout: false);
        }

        HasPdu(host).ShouldBeTrue();
        kubernetes.Status.Current.FailedSnapshots.ShouldBeGreaterThanOrEqualTo(2);
        kubernetes.Status.Current.LastError!.ShouldContain("answered 500");
        host.Runners.Single(r => r.Name == "static").Status.Current.CompletedSnapshots.ShouldBe(1);
        await stop.CancelAsync();
        await running;
    }

    private static bool HasPdu(DatasourceScheduler host) => host.Versions.Current.LiveVertices.Any(v => v.Type == "pdu");

    private static async Task WaitAsync(DatasourceScheduler host, Func<GraphVersion, bool> condition, TimeSpan? limit = null, bool throwOnTimeout = true)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            await host.DrainAsync(CancellationToken.None);
            if (condition(host.Versions.Current))
            {
                return;
            }

            await Task.Delay(20);
        }

        if (throwOnTimeout)
        {
            throw new TimeoutException("the graph never reached the expected state");
        }
    }
}
