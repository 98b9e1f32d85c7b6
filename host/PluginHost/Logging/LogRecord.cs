using Microsoft.Extensions.Logging;

namespace PluginHost.Logging;

/// <summary>One log record, before a sink formats it.</summary>
internal sealed record LogRecord(DateTimeOffset Time, LogLevel Level, string Category, string Message, string? Exception)
{
    /// <summary>oslo.log's (Python logging's) level names.</summary>
    public string LevelName => Level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        _ => "CRITICAL",
    };

    /// <summary>syslog's priority, as the journal wants it.</summary>
    public int SyslogPriority => Level switch
    {
        LogLevel.Trace or LogLevel.Debug => 7,
        LogLevel.Information => 6,
        LogLevel.Warning => 4,
        LogLevel.Error => 3,
        _ => 2,
    };
}
