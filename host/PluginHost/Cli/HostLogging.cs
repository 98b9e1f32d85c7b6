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
    public static ILoggerFactory Create(string level) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(Parse(level));
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
