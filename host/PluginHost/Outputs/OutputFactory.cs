using Microsoft.Extensions.Logging;
using PluginHost.Configuration;
using PluginHost.Outputs.Notifications;

namespace PluginHost.Outputs;

/// <summary>The outputs the host's settings ask for.</summary>
internal static class OutputFactory
{
    public static List<IGraphOutput> Create(HostSettings host, ILoggerFactory loggerFactory, TimeProvider time)
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

        if (host.Notifications is { } notifications)
        {
            outputs.Add(new RabbitNotificationOutput(notifications, loggerFactory.CreateLogger("PluginHost.Notifications"), time));
        }

        return outputs;
    }
}
