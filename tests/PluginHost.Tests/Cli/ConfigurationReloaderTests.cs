using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Cli;
using PluginHost.Configuration;
using PluginHost.Scheduling;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Cli;

public sealed class ConfigurationReloaderTests(EchoPluginFolder plugins) : IClassFixture<EchoPluginFolder>
{
    // case, what reading the files throws, the start of the error logged
    public static TheoryData<string, string, string> ReadFailures => new()
    {
        { "a validation error", "config", "Reload refused, the running configuration is kept: x.conf:3: [echo] entities_file" },

        // Anything else used to leave the reloader: the generic host stopped and run exited 0.
        { "anything else", "other", "Reload refused, the running configuration is kept: the configuration could not be read (IndexOutOfRangeException: " },
    };

    [Theory]
    [MemberData(nameof(ReadFailures))]
    public async Task Reload_ReadingTheFilesFails_KeepsRunningAndSaysWhy(string name, string failure, string error)
    {
        using var temp = new TempFolder();
        var entities = temp.File("entities", "a\n");
        var config = temp.File("vitrage.conf", $"[datasources]\nplugin_path = {plugins.Plugins}\n[echo]\nentities_file = {entities}\n");
        var configuration = HostConfigurationLoader.Load(ConfigFileSet.Load([config], []));
        await using var scheduler = DatasourceScheduler.Create(configuration, NullLoggerFactory.Instance, TimeProvider.System);
        var logger = new CapturingLogger();
        using var reloader = new ConfigurationReloader(
            () => failure == "config" ? throw new ConfigException("x.conf:3: [echo] entities_file") : throw new IndexOutOfRangeException("Index was outside the bounds of the array."),
            configuration.Catalog, scheduler, logger);
        await reloader.StartAsync(TestContext.Current.CancellationToken);

        reloader.RequestReload();
        for (var waited = 0; !logger.Errors.Any() && waited < 100; waited++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        logger.Errors.Single().ShouldStartWith(error, Case.Sensitive, name);
        reloader.ExecuteTask.ShouldNotBeNull(name).IsCompleted.ShouldBeFalse(name); // waiting for the next SIGHUP
        await reloader.StopAsync(TestContext.Current.CancellationToken);
    }
}
