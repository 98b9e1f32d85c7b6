using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Configuration;
using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.Outputs;
using PluginHost.Scheduling;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Scheduling;

public sealed class DatasourceSchedulerTests(EchoPluginFolder plugins) : IClassFixture<EchoPluginFolder>
{
    [Fact]
    public async Task SnapshotOnce_GraphProcessorDies_FailsFastInsteadOfWaitingForever()
    {
        using var temp = new TempFolder();
        var entities = temp.File("entities", string.Join('\n', Enumerable.Range(0, 2000).Select(i => $"e{i}")));
        var config = temp.File("vitrage.conf", $"[datasources]\nplugin_path = {plugins.Plugins}\n[plugin_host]\nqueue_capacity = 64\n[echo]\nentities_file = {entities}\n");
        await using var scheduler = DatasourceScheduler.Create(
            HostConfigurationLoader.Load(ConfigFileSet.Load([config], [])), NullLoggerFactory.Instance, TimeProvider.System,
            extraOutputs: [new DyingOutput()]);

        // 2,000 events through a queue of 64: without the watch, the driver would wait on the full queue for ever.
        var failure = await Should.ThrowAsync<InvalidOperationException>(() =>
            scheduler.SnapshotOnceAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));

        failure.Message.ShouldBe("the graph processor stopped");
        scheduler.ProcessorFailed.ShouldBeTrue();
    }

    // case, whether the output whose flush never ends comes before the one that flushes in time
    public static TheoryData<string, bool> StuckOutputs => new()
    {
        { "the stuck output first", true },
        { "the stuck output last", false },
    };

    // Found by a hostile test (stop 39): the outputs were flushed one after the other under one
    // deadline, then closed, so a locked alarm history used up shutdown_timeout: the outputs after it
    // (the notifications) were abandoned without a try, and every output's close too.
    [Theory]
    [MemberData(nameof(StuckOutputs))]
    public async Task Dispose_OneOutputsFlushNeverEnds_TheOthersStillFlushed(string name, bool stuckFirst)
    {
        using var temp = new TempFolder();
        var entities = temp.File("entities", "e1");
        var config = temp.File("vitrage.conf", $"[datasources]\nplugin_path = {plugins.Plugins}\n[plugin_host]\nshutdown_timeout = 2\n[echo]\nentities_file = {entities}\n");
        var stuck = new FlushingOutput("stuck", TimeSpan.FromHours(1));
        var slow = new FlushingOutput("slow", TimeSpan.FromMilliseconds(200));
        var scheduler = DatasourceScheduler.Create(
            HostConfigurationLoader.Load(ConfigFileSet.Load([config], [])), NullLoggerFactory.Instance, TimeProvider.System,
            extraOutputs: stuckFirst ? [stuck, slow] : [slow, stuck]);
        await scheduler.SnapshotOnceAsync(TestContext.Current.CancellationToken);

        await scheduler.DisposeAsync();

        slow.Flushed.ShouldBeTrue(name);
        slow.Closed.ShouldBeTrue(name);
        stuck.Flushed.ShouldBeFalse(name);
    }

    /// <summary>An output whose flush takes <paramref name="flushTakes"/> (or until the stop's deadline).</summary>
    private sealed class FlushingOutput(string name, TimeSpan flushTakes) : IGraphOutput
    {
        public string Name => name;

        public string? LastError => null;

        public bool Flushed { get; private set; }

        public ValueTask OnEventAsync(DatasourceEvent datasourceEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask OnSnapshotStartedAsync(string datasourceName, DateTimeOffset startedAt, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask OnSnapshotEndedAsync(string datasourceName, DateTimeOffset startedAt, bool complete, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void OnGraphPublished(GraphVersion version)
        {
        }

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(flushTakes, cancellationToken);
            Flushed = true;
        }

        public bool Closed { get; private set; }

        // Closing takes a moment too: one abandoned at the deadline is not closed when the stop returns.
        public async ValueTask DisposeAsync()
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
            Closed = true;
        }
    }

    /// <summary>Stands for a bug in the processor: the one exception it lets through.</summary>
    private sealed class DyingOutput : IGraphOutput
    {
        public string Name => "dying";

        public string? LastError => null;

        public ValueTask OnEventAsync(DatasourceEvent datasourceEvent, CancellationToken cancellationToken) =>
            throw new OperationCanceledException("not the host's cancellation");

        public ValueTask OnSnapshotStartedAsync(string datasourceName, DateTimeOffset startedAt, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask OnSnapshotEndedAsync(string datasourceName, DateTimeOffset startedAt, bool complete, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void OnGraphPublished(GraphVersion version)
        {
        }

        public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
