using PluginHost.Cli;

return await HostCommandLine.InvokeAsync(args);
