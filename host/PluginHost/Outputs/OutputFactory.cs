using Microsoft.Extensions.Logging;
using PluginHost.Configuration;
using PluginHost.Outputs.Notifications;

namespace PluginHost.Outputs;

/// <summary>The outputs the host's settings ask for.</summary>
internal static class OutputFactory
{
    /// <param name="reload">Outputs made again by a reload: the alarm history then knows nothing of the
    /// alarms already active, so it must not end open ones after the next snapshot as a starting host does.</param>
    /// <param name="previousFlushed">With <paramref name="reload"/>: ends when the outputs being replaced are
    /// flushed; the new alarm history writes nothing before (its rows must follow theirs).</param>
    /// <param name="datasources">Without <paramref name="reload"/>: the datasources the host runs and its plugins (the
    /// alarm history ends the open alarms of the plugins' other datasources).</param>
    public static List<IGraphOutput> Create(HostSettings host, ILoggerFactory loggerFactory, TimeProvider time, bool reload = false, Task? previousFlushed = null,
        (IReadOnlyCollection<string> Enabled, IReadOnlyCollection<string> Plugins)? datasources = null)
    {
        var logger = loggerFactory.CreateLogger("PluginHost.Outputs");
        var outputs = new List<IGraphOutput>();
        if (host.EventLog is { } eventLog)
        {
            outputs.Add(new EventLogOutput(eventLog, logger, time));
        }

        if (host.GraphFile is { } graphFile)
        {
            outputs.Add(new GraphFileOutput(graphFile, logger, time));
        }

        if (host.History is { } history)
        {
            outputs.Add(new History.AlarmHistoryOutput(history, loggerFactory.CreateLogger("PluginHost.History"), time, reconcile: !reload, writeAfter: previousFlushed,
                datasources: reload ? null : datasources));
        }

        if (host.Notifications is { } notifications)
        {
            outputs.Add(new RabbitNotificationOutput(notifications, loggerFactory.CreateLogger("PluginHost.Notifications"), time));
        }

        return outputs;
    }
}
