using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using PluginHost.Configuration;

namespace PluginHost.Cli;

/// <summary>
/// Logs go to standard error, one line each, so standard output carries only machine-readable
/// output (<c>snapshot --format json | jq</c> always works).
/// </summary>
internal static class HostLogging
{
    private static int _minimum = (int)LogLevel.Information;

    /// <summary>The least severe level written; a reload (SIGHUP) may change it while running.</summary>
    public static LogLevel MinimumLevel
    {
        get => (LogLevel)Volatile.Read(ref _minimum);
        set => Volatile.Write(ref _minimum, (int)value);
    }

    public static ILoggerFactory Create(string level) => LoggerFactory.Create(builder =>
    {
        MinimumLevel = Parse(level);
        builder.SetMinimumLevel(LogLevel.Trace);
        builder.AddFilter((_, _, messageLevel) => messageLevel >= MinimumLevel);
        builder.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
            o.UseUtcTimestamp = true;
        });
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    });

    public static LogLevel Parse(string level) => level switch
    {
        "debug" => LogLevel.Debug,
        "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => LogLevel.Information,
    };

    /// <summary>Logs what loading the configuration noticed but did not reject.</summary>
    public static void Report(ConfigDiagnostics diagnostics, ILogger logger)
    {
        foreach (var warning in diagnostics.Warnings)
        {
            logger.LogWarning("{Warning}", warning);
        }

        foreach (var note in diagnostics.Debug)
        {
            logger.LogDebug("{Note}", note);
        }
    }
}
