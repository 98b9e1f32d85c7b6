using PluginHost.Configuration;
using PluginHost.Scheduling;
using PluginHost.Tests.Notifications;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Notifications.Tests;

/// <summary>A host that consumes the exchange and topic its own notifications output publishes to.</summary>
public sealed class RelayLoopTests
{
    // Found by a hostile test: every round trip relayed the host's own events again under one more
    // "plugin_host.central/" prefix, for ever (a 6,000-character datasource name after 30 s).
    [Fact]
    public async Task Central_PublishesToTheTopicItConsumes_RelaysItsOwnEventsOnceNotRoundTheLoop()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("static"));
        temp.File("static/rack.yaml", """
            metadata: {name: rack}
            definitions:
              entities:
                - {static_id: s1, type: switch, id: sw-loop, name: switch-1, state: available}
            """);
        var exchange = $"pluginhost_loop_{Guid.NewGuid():N}";
        var topic = $"loop_{Guid.NewGuid():N}";
        var config = temp.File("central.conf", $"""
            [DEFAULT]
            transport_url = {TestBroker.Url}
            control_exchange = {exchange}
            host = central
            [oslo_messaging_notifications]
            driver = messagingv2
            topics = {topic}
            [datasources]
            types = notifications, static
            plugin_path = {TestRepository.HostPluginFolder}
            snapshots_interval = 10
            [static]
            directory = {temp.Combine("static")}
            [notifications]
            transport_url = {TestBroker.Url}
            exchange = {exchange}
            topics = {topic}
            """);
        var log = new CapturingLogger();
        await using var host = DatasourceScheduler.Create(HostConfigurationLoader.Load(ConfigFileSet.Load([config], [])),
            new CentralHost.OneLogger(log), TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var running = host.RunAsync(stop.Token);

        // Two snapshots of the static datasource go round; each round trip takes milliseconds.
        await Task.Delay(TimeSpan.FromSeconds(14), ct);
        await stop.CancelAsync();
        await running;

        // The vertex itself stays "static" either way (a relayed copy is no newer); the relayed
        // snapshots' datasource names show the loop.
        var messages = log.Entries.Select(e => e.Message).ToList();
        messages.ShouldContain(m => m.Contains("plugin_host.central/static snapshot applied", StringComparison.Ordinal));
        messages.ShouldNotContain(m => m.Contains("plugin_host.central/plugin_host.central/", StringComparison.Ordinal));
        log.Warnings.ShouldContain(m => m.Contains("came back to plugin_host.central", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("plugin_host.edge", "kubernetes", false)]
    [InlineData("plugin_host.region", "plugin_host.edge/kubernetes", false)]
    [InlineData("plugin_host.global", "plugin_host.region/plugin_host.edge/kubernetes", false)]
    [InlineData("plugin_host.central", "plugin_host.central/static", true)]
    [InlineData("plugin_host.a", "plugin_host.b/plugin_host.a/static", true)]
    // A publisher named like a datasource is not the datasource.
    [InlineData("kubernetes", "kubernetes", false)]
    public void HasRelayed_RelayChain_TrueOnlyWhenThePublisherIsAlreadyInIt(string publisher, string datasource, bool looped) =>
        RelayedNotification.HasRelayed(publisher, datasource).ShouldBe(looped);
}
