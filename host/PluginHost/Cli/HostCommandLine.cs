using System.CommandLine;

namespace PluginHost.Cli;

/// <summary>The <c>pluginhost</c> command line: verbs, shared options, exit codes.</summary>
internal static class HostCommandLine
{
    public static RootCommand Build()
    {
        var config = new ConfigArguments();
        var root = new RootCommand("PluginHost: loads datasource plugins, polls them and builds a Vitrage-compatible entity graph.")
        {
            config.ConfigFile,
            config.ConfigDir,
            config.Debug,
            config.LogFile,
        };
        root.Subcommands.Add(RunVerb.Create(config));
        root.Subcommands.Add(SnapshotVerb.Create(config));
        root.Subcommands.Add(PluginsVerb.Create(config));
        root.Subcommands.Add(GenconfigVerb.Create(config));
        root.Subcommands.Add(CheckConfigVerb.Create(config));
        root.Subcommands.Add(StatusVerb.Create(config));
        return root;
    }

    /// <summary>Parses and runs; usage errors exit 2 like configuration errors.</summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        var parseResult = Build().Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            await VerbExecution.WriteErrorsAsync(parseResult.Errors.Select(e => e.Message));
            await Console.Error.WriteLineAsync("Run 'pluginhost --help' for usage.");
            return ExitCodes.BadConfiguration;
        }

        // A verb's write to a closed or full standard output is an error line, not a stack trace.
        if (Console.Out is not StandardOutputWriter)
        {
            Console.SetOut(new StandardOutputWriter(Console.Out));
        }

        // Signals are ProcessSignals' (installed before anything else); System.CommandLine's own
        // Ctrl+C handling would only cancel once the verb has started.
        return await parseResult.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
