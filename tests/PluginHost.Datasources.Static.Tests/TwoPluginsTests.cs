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
        return DatasourceScheduler.Create(configuration, NullLoggerFactory.Instance, time, CancellationToken.None);
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
        vm.Name.ShouldNotBe("not-applied");
        vm.Edges.Values.Where(e => !e.IsDeleted).Select(e => $"{e.Source.Type} {e.RelationshipType} {e.Target.Type}").Order().ShouldBe(
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
        await WaitAsync(host, g => g.LiveVertices.Count(v => v.Type == "switch") == 2 && kubernetes.FailedSnapshots == 1);
        await Task.Delay(100, TestContext.Current.CancellationToken); // both runners are now waiting on the fake clock
        temp.File("static/b.yaml", "definitions:\n  entities:\n    - {static_id: p, type: pdu, id: pdu-7, name: pdu-7}\n");
        time.Advance(TimeSpan.FromSeconds(30)); // changes_interval: static pulls, Kubernetes retries and fails again

        await WaitAsync(host, g => g.LiveVertices.Any(v => v.Type == "pdu") && kubernetes.FailedSnapshots == 2);
        kubernetes.LastError!.ShouldContain("answered 500");
        host.Runners.Single(r => r.Name == "static").CompletedSnapshots.ShouldBe(1);
        await stop.CancelAsync();
        await running;
    }

    private static async Task WaitAsync(DatasourceScheduler host, Func<EntityGraph, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            await host.DrainAsync(timeout.Token);
            if (condition(host.Graph))
            {
                return;
            }

            await Task.Delay(20, timeout.Token);
        }
    }
}
