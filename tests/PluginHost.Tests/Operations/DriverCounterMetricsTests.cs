using System.Runtime.CompilerServices;
using Prometheus;
using PluginHost.Contracts;
using PluginHost.Operations;

namespace PluginHost.Tests.Operations;

/// <summary>A driver's own totals (<c>IDriverCounters</c>) as Prometheus counters, on a registry of the test's own.</summary>
public sealed class DriverCounterMetricsTests
{
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();

    private DriverCounterMetrics Metrics() => new(Prometheus.Metrics.WithCustomRegistry(_registry));

    // case, the driver's counters, the samples expected ("name{labels} value", sorted)
    public static TheoryData<string, Dictionary<string, long>, string[]> Keys => new()
    {
        { "a plain total", new() { ["watch_relists"] = 3 }, ["pluginhost_datasource_watch_relists_total{datasource=\"k8s/a\"} 3"] },
        {
            "one label",
            new() { ["watch_events{type=MODIFIED}"] = 5, ["watch_events{type=DELETED}"] = 1 },
            ["pluginhost_datasource_watch_events_total{datasource=\"k8s/a\",type=\"DELETED\"} 1", "pluginhost_datasource_watch_events_total{datasource=\"k8s/a\",type=\"MODIFIED\"} 5"]
        },
        { "zero is a sample, not a missing series", new() { ["resync_differences"] = 0 }, ["pluginhost_datasource_resync_differences_total{datasource=\"k8s/a\"} 0"] },
        { "not snake_case: left out", new() { ["Watch-Relists"] = 1, ["two{a=1,b=2}"] = 1, ["quote{a=\"x\"}"] = 1 }, [] },
        { "a label named datasource: left out", new() { ["shadow{datasource=other}"] = 1 }, [] },
        { "one name with two label sets: the first one's kept", new() { ["mixed"] = 1, ["mixed{type=X}"] = 2 }, ["pluginhost_datasource_mixed_total{datasource=\"k8s/a\"} 1"] },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task Refresh_CounterKeys_ExportedAsNamedAndLabelled(string name, Dictionary<string, long> counters, string[] expected)
    {
        Metrics().Refresh([("k8s/a", new CountingDriver { Counters = counters })]);

        (await SamplesAsync()).ShouldBe(expected, name);
    }

    [Fact]
    public async Task Refresh_DriverReplacedByAReload_TheExportedTotalGoesOnFromWhereItWas()
    {
        var metrics = Metrics();
        var first = new CountingDriver { Counters = new() { ["watch_relists"] = 5 } };
        metrics.Refresh([("k8s", first)]);
        first.Counters["watch_relists"] = 7;
        metrics.Refresh([("k8s", first)]);

        metrics.Refresh([("k8s", new CountingDriver { Counters = new() { ["watch_relists"] = 2 } })]);

        (await SamplesAsync()).ShouldBe(["pluginhost_datasource_watch_relists_total{datasource=\"k8s\"} 9"]);
    }

    [Fact]
    public async Task Refresh_ADriverWhoseCountersThrow_TheOthersAreStillExported()
    {
        var metrics = Metrics();

        metrics.Refresh([("broken", new CountingDriver { Throws = true }), ("k8s", new CountingDriver { Counters = new() { ["watch_streams"] = 1 } })]);

        (await SamplesAsync()).ShouldBe(["pluginhost_datasource_watch_streams_total{datasource=\"k8s\"} 1"]);
    }

    // The registry's samples as exported, without comments.
    private async Task<string[]> SamplesAsync()
    {
        using var text = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(text, TestContext.Current.CancellationToken);
        return System.Text.Encoding.UTF8.GetString(text.ToArray()).Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Order(StringComparer.Ordinal).ToArray();
    }

    private sealed class CountingDriver : IDatasourceDriver, IDriverCounters
    {
        public bool Throws { get; init; }

        public Dictionary<string, long> Counters { get; init; } = [];

        IReadOnlyDictionary<string, long> IDriverCounters.Counters => Throws ? throw new InvalidOperationException("a plugin's bug") : Counters;

        public async IAsyncEnumerable<DatasourceEvent> GetAllAsync(DatasourceAction action, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            yield break;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
