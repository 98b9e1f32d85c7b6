using Microsoft.Extensions.Logging;
using PluginHost.Configuration;
using PluginHost.Logging;

namespace PluginHost.Cli;

/// <summary>
/// The process's logging, as oslo.log's options say (<see cref="LogSettings"/>): standard error by
/// default, so standard output carries only machine-readable output (<c>snapshot --format json | jq</c>
/// always works), or a log file, or the journal. A reload may change the level and the destination,
/// and reopens the file.
/// </summary>
internal static class HostLogging
{
    /// <summary>Tests point the journal at their own socket.</summary>
    public const string JournalSocketVariable = "PLUGINHOST_JOURNAL_SOCKET";

    private static OsloLoggerProvider? _provider;

    public static ILoggerFactory Create(LogSettings settings)
    {
        var provider = new OsloLoggerProvider(settings, CreateSink(settings), TimeProvider.System);
        _provider = provider;
        // The factory itself, not LoggerFactory.Create: that builds a dependency-injection container
        // for one provider and two rules, whose generic instantiations the short verbs (check-config,
        // snapshot) JIT-compiled at every start (bench/README.md, start-up).
        var filters = new LoggerFilterOptions { MinLevel = LogLevel.Trace }; // the provider filters, so a reload can change the level
        filters.Rules.Add(new LoggerFilterRule(providerName: null, categoryName: "Microsoft", logLevel: LogLevel.Warning, filter: null)); // no hosting boilerplate at info
        return new LoggerFactory([provider], filters);
    }

    /// <summary>New settings from a reload; returns what changed, for the reload's log.</summary>
    public static IEnumerable<string> Apply(LogSettings before, LogSettings after)
    {
        if (_provider is null || before == after)
        {
            yield break;
        }

        var destinationChanged = before.File != after.File || before.Journal != after.Journal;
        _provider.Apply(after, destinationChanged ? CreateSink(after) : null);
        if (before.Level != after.Level)
        {
            yield return $"log level: {before.Level} -> {after.Level}";
        }

        if (destinationChanged)
        {
            yield return $"log destination: {Describe(before)} -> {Describe(after)}";
        }

        if (before.Json != after.Json || before.DateFormat != after.DateFormat)
        {
            yield return "log format changed";
        }
    }

    /// <summary>Opens the log file again (SIGHUP after logrotate moved it).</summary>
    public static void Reopen() => _provider?.Reopen();

    private static string Describe(LogSettings settings) => settings.Journal ? "journal" : settings.File ?? "standard error";

    private static LogSink CreateSink(LogSettings settings) =>
        settings.Journal ? new JournalSink(Environment.GetEnvironmentVariable(JournalSocketVariable) is { Length: > 0 } socket ? socket : JournalSink.DefaultSocket)
        : settings.File is { } file ? new FileSink(file)
        : new StderrSink();

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
