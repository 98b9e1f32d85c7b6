using System.Text.Json;
using static PluginHost.Tests.Api.AlarmClientSteps;

namespace PluginHost.Tests.Api;

/// <summary>
/// Node alarms that end while no host runs (as <see cref="AlarmClientTests"/>): the next host, reloaded
/// before its first complete snapshot or with the datasource disabled, ends them in the history.
/// </summary>
public sealed class AlarmRestartTests
{
    // Found by a hostile test (s43): a reload that changed the outputs before the first complete
    // snapshot (a host started while its cluster was unreachable) made a history output that reconciles
    // nothing, and the old one was gone: an alarm that ended while the host was down stayed open for good.
    [Fact]
    public async Task Reload_OutputsChangedBeforeTheFirstCompleteSnapshot_AlarmEndedWhileDownIsEnded()
    {
        Assert.SkipWhen(PluginHost.Tests.Support.InheritedSignals.IsIgnored(1), PluginHost.Tests.Support.InheritedSignals.Reason(1));
        await using var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 4, api: "port = 0", sections: "snapshots_interval = 10");
        var nodes = cluster.Simulator.Nodes;
        var node = nodes.Names[1];
        await RecordOneAlarmAndStopAsync(cluster, node);

        nodes.SetReady(node, "True"); // the alarm ends while no host runs
        cluster.Simulator.Faults.Add(new KubeApiSimulator.FaultRule(KubeApiSimulator.FaultKind.InternalError)); // and the cluster is unreachable at the start
        await using var second = await ApiHostProcess.StartOnAsync(cluster, nodes: 4, waitForGraph: false);
        await second.WaitForLogAsync("init_snapshot failed");
        File.WriteAllText(cluster.ConfigFile, File.ReadAllText(cluster.ConfigFile)
            .Replace("[plugin_host]\n", $"[plugin_host]\ngraph_file = {cluster.Folder.Combine("graph.json")}\n", StringComparison.Ordinal));
        await second.HangUpAsync();
        await second.WaitForLogAsync("Configuration reloaded: outputs: alarm_history -> graph_file, alarm_history");
        cluster.Simulator.Faults.Clear();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await second.WaitForNodesAsync(4, timeout.Token);
        }

        await WaitForAlarmsAsync(second, 0);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var rows = (await WaitForHistoryAsync(second.BaseUrl, rows: 1)).EnumerateArray().ToList();
            if (!string.IsNullOrEmpty(Text(rows[0], "End Time")))
            {
                break;
            }

            deadline.IsCancellationRequested.ShouldBeFalse($"the alarm that ended while the host was down is still open in the history:\n{second.Stderr}");
            await Task.Delay(300, TestContext.Current.CancellationToken);
        }
    }

    // Found by a hostile test (s43): only a complete snapshot of a datasource ended its alarms that went
    // away while the host was down; a datasource taken out of [datasources] types meanwhile never has one,
    // so its alarms stayed active in the history for good (and never aged out) while alarm list showed none.
    [Fact]
    public async Task Restart_DatasourceDisabledWhileDown_ItsOpenAlarmsEnded()
    {
        await using var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 4, api: "port = 0", sections: "snapshots_interval = 10");
        await RecordOneAlarmAndStopAsync(cluster, cluster.Simulator.Nodes.Names[1]);

        var config = File.ReadAllText(cluster.ConfigFile);
        File.WriteAllText(cluster.ConfigFile, config.Replace("types = kubernetes", "types = static", StringComparison.Ordinal)
            + $"\n[static]\ndirectory = {Path.Combine(PluginHost.Tests.Support.TestRepository.Root, "etc", "static_datasources")}\n");
        await using var second = await ApiHostProcess.StartOnAsync(cluster, nodes: 0, waitForGraph: false);
        await second.WaitForLogAsync("static snapshot applied");

        await WaitForAlarmsAsync(second, 0);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var rows = (await WaitForHistoryAsync(second.BaseUrl, rows: 1)).EnumerateArray().ToList();
            if (!string.IsNullOrEmpty(Text(rows[0], "End Time")))
            {
                Text(rows[0], "Severity").ShouldBe("OK");
                break;
            }

            deadline.IsCancellationRequested.ShouldBeFalse($"the alarm of the disabled datasource is still open in the history:\n{second.Stderr}");
            await Task.Delay(300, TestContext.Current.CancellationToken);
        }
    }
}
