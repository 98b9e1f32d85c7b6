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

    public ConfigFileSet LoadFiles(ParseResult parseResult) =>
        ConfigFileSet.Load(parseResult.GetValue(ConfigFile) ?? [], parseResult.GetValue(ConfigDir) ?? []);
}
