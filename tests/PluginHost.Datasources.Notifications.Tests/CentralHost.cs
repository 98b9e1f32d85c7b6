using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Configuration;
using PluginHost.Graph;
using PluginHost.Scheduling;
using PluginHost.Tests.Notifications;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Notifications.Tests;

/// <summary>A central host: the notifications plugin from the real plugins folder, consuming one exchange and topic.</summary>
internal static class CentralHost
{
    public static DatasourceScheduler Create(TempFolder temp, string exchange, string topic, string notificationsExtra = "", string hostExtra = "", string? transportUrl = null,
        ILogger? logger = null) =>
        Create(Configuration(temp, exchange, topic, notificationsExtra, hostExtra, transportUrl), logger);

    public static DatasourceScheduler Create(HostConfiguration configuration, ILogger? logger = null) =>
        DatasourceScheduler.Create(configuration, logger is null ? NullLoggerFactory.Instance : new OneLogger(logger), TimeProvider.System);

    /// <summary>
    /// The central host's configuration file (written again) and what it loads to; with the running
    /// host's <paramref name="catalog"/>, what a reload (SIGHUP) reads.
    /// </summary>
    public static HostConfiguration Configuration(TempFolder temp, string exchange, string topic, string notificationsExtra = "", string hostExtra = "",
        string? transportUrl = null, PluginHost.Plugins.PluginCatalog? catalog = null)
    {
        var config = temp.File("central.conf", $"""
            [datasources]
            types = notifications
            plugin_path = {TestRepository.HostPluginFolder}
            [plugin_host]
            {hostExtra}
            [notifications]
            transport_url = {transportUrl ?? TestBroker.Url}
            exchange = {exchange}
            topics = {topic}
            {notificationsExtra}
            """);
        return HostConfigurationLoader.Load(ConfigFileSet.Load([config], []), catalog);
    }

    /// <summary>Every category's lines to one logger, to assert on what an operator reads.</summary>
    internal sealed class OneLogger(ILogger logger) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }

    /// <summary>Applies what is queued and checks, until <paramref name="condition"/> holds or the time is up.</summary>
    public static async Task WaitUntilAsync(DatasourceScheduler host, Func<GraphVersion, bool> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            await host.DrainAsync(CancellationToken.None);
            if (condition(host.Versions.Current))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the central graph never reached the expected state");
    }
}
