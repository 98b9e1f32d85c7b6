using PluginHost.Cli;

// First: a SIGTERM during configuration loading or driver creation must still be an orderly stop.
ProcessSignals.Install();
return await HostCommandLine.InvokeAsync(args);
