using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Configuration;
using PluginHost.Scheduling;

namespace PluginHost.Benchmarks;

/// <summary>
/// What publishing costs: a full snapshot (first build, so every node is an event) through a host
/// created and disposed each run, without notifications and with <c>messagingv2</c> to the local
/// RabbitMQ (disposal waits until the broker confirmed every message). Needs RabbitMQ at
/// PLUGINHOST_TEST_RABBITMQ (node PLUGINHOST_TEST_RABBITMQ_NODE), else 127.0.0.1:5672 (guest).
/// </summary>
internal static class NotificationRunner
{
    public static async Task<int> RunAsync(ScaleOptions options)
    {
        var nodes = options.SingleNodeCount(5000);
        await using var cluster = await BenchmarkCluster.StartAsync(nodes, options.PageSize);
        var plain = new List<double>();
        var published = new List<double>();
        for (var run = 0; run <= options.Runs; run++)
        {
            var withoutMs = await TimeAsync(cluster, notify: false);
            var withMs = await TimeAsync(cluster, notify: true);
            if (run > 0)
            {
                plain.Add(withoutMs);
                published.Add(withMs);
            }
        }

        var messages = nodes + 3; // start marker, nodes, cluster, end marker
        var without = Statistics.Median(plain);
        var with = Statistics.Median(published);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            | {nodes:N0}-node snapshot, host created and disposed | median (ms) |
            |---|---:|
            | without notifications | {without:F0} |
            | with messagingv2, until every message is confirmed | {with:F0} |
            | publishing adds | {with - without:F0} ms ({with / without:F2}×) |
            | notifications per second with confirms ({messages:N0} messages) | {messages / ((with - without) / 1000):N0} |
            """));
        return 0;
    }

    private static async Task<double> TimeAsync(BenchmarkCluster cluster, bool notify)
    {
        var topic = $"bench_{Guid.NewGuid():N}";
        var extra = notify
            ? $"\n[DEFAULT]\ntransport_url = {BrokerUrl}\ncontrol_exchange = pluginhost_bench\n[oslo_messaging_notifications]\ndriver = messagingv2\ntopics = {topic}\n"
            : string.Empty;
        var config = Path.Combine(cluster.Folder, $"notify-{notify}.conf");
        await File.WriteAllTextAsync(config, await File.ReadAllTextAsync(cluster.ConfigFile) + extra);
        GC.Collect();
        var clock = Stopwatch.StartNew();
        await using (var host = DatasourceScheduler.Create(HostConfigurationLoader.Load(ConfigFileSet.Load([config], [])),
            NullLoggerFactory.Instance, TimeProvider.System))
        {
            (await host.SnapshotOnceAsync(CancellationToken.None)).Count.ShouldBe(0);
        }

        clock.Stop();
        if (notify)
        {
            using var delete = Process.Start("rabbitmqctl", [.. BrokerNode, "-q", "delete_queue", $"{topic}.info"]);
            await delete!.WaitForExitAsync();
        }

        return clock.Elapsed.TotalMilliseconds;
    }

    // The broker the test script's private node or the user names; 127.0.0.1:5672 otherwise.
    private static string BrokerUrl => Environment.GetEnvironmentVariable("PLUGINHOST_TEST_RABBITMQ") is { Length: > 0 } url
        ? url
        : "rabbit://guest:guest@127.0.0.1:5672/";

    private static string[] BrokerNode => Environment.GetEnvironmentVariable("PLUGINHOST_TEST_RABBITMQ_NODE") is { Length: > 0 } node
        ? ["-n", node]
        : [];
}
