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
