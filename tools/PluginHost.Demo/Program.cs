using System.CommandLine;
using PluginHost.Cli;
using PluginHost.Demo;

// The demo is a tool beside the product: the host never ships a fake apiserver.
ProcessSignals.Install();
var root = DemoRunner.Create();
var parseResult = root.Parse(args);
if (parseResult.Errors.Count > 0)
{
    foreach (var error in parseResult.Errors)
    {
        await Console.Error.WriteLineAsync($"error: {error.Message}");
    }

    return 2;
}

return await parseResult.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
