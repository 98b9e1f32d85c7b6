using System.CommandLine;
using PluginHost.Configuration;

namespace PluginHost.Cli;

/// <summary>The oslo-style options every verb takes: <c>--config-file</c> and <c>--config-dir</c>.</summary>
internal sealed class ConfigArguments
{
    public Option<string[]> ConfigFile { get; } = new("--config-file")
    {
        Description = "An INI config file (repeatable; later files override earlier ones). Default: the first of ./vitrage.conf, ~/.vitrage/vitrage.conf, /etc/vitrage/vitrage.conf.",
        Arity = ArgumentArity.ZeroOrMore,
        Recursive = true,
    };

    public Option<string[]> ConfigDir { get; } = new("--config-dir")
    {
        Description = "A folder whose *.conf files are read in name order after --config-file (repeatable).",
        Arity = ArgumentArity.ZeroOrMore,
        Recursive = true,
    };

    public Option<bool> Debug { get; } = new("--debug")
    {
        Description = "Log at debug level (as [DEFAULT] debug = true).",
        Recursive = true,
    };

    public Option<string?> LogFile { get; } = new("--log-file")
    {
        Description = "Log to this file instead of standard error (as [DEFAULT] log_file).",
        Recursive = true,
    };

    /// <summary>The files, with <c>--debug</c> and <c>--log-file</c> on top of what they say.</summary>
    public ConfigFileSet LoadFiles(ParseResult parseResult)
    {
        var files = ConfigFileSet.Load(parseResult.GetValue(ConfigFile) ?? [], parseResult.GetValue(ConfigDir) ?? []);
        var commandLine = new ConfigLocation("(command line)", 0);
        if (parseResult.GetValue(Debug))
        {
            files.Override(new RawConfigValue(NotificationOptionCatalog.DefaultSection, "debug", "true", commandLine));
        }

        if (parseResult.GetValue(LogFile) is { Length: > 0 } logFile)
        {
            files.Override(new RawConfigValue(NotificationOptionCatalog.DefaultSection, "log_file", Path.GetFullPath(logFile), commandLine));
        }

        return files;
    }
}
