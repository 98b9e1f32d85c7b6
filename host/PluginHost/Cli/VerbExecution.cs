using Microsoft.Extensions.Logging;
using PluginHost.Configuration;

namespace PluginHost.Cli;

/// <summary>What every verb does around its body: config errors become exit code 2 with clear text.</summary>
internal static class VerbExecution
{
    /// <param name="body">The verb.</param>
    /// <param name="interruptedExitCode">The exit code when SIGTERM/SIGINT ended the verb early:
    /// 0 for the service (<c>run</c>), 1 for a verb whose work was cut short.</param>
    public static async Task<int> GuardAsync(Func<Task<int>> body, int interruptedExitCode = ExitCodes.DatasourceFailed)
    {
        ProcessSignals.InterruptedExitCode = interruptedExitCode;
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (ConfigException e)
        {
            await WriteErrorsAsync(e.Errors).ConfigureAwait(false);
            return ExitCodes.BadConfiguration;
        }
        catch (StandardOutputException e)
        {
            await WriteErrorsAsync([e.Message]).ConfigureAwait(false);
            return ExitCodes.DatasourceFailed;
        }
        catch (OperationCanceledException) when (ProcessSignals.Stopping.IsCancellationRequested)
        {
            if (interruptedExitCode != ExitCodes.Ok)
            {
                await WriteErrorsAsync(["interrupted by a stop signal"]).ConfigureAwait(false);
            }

            return interruptedExitCode;
        }
    }

    public static async Task WriteErrorsAsync(IEnumerable<string> errors)
    {
        foreach (var error in errors)
        {
            await Console.Error.WriteLineAsync($"error: {error}").ConfigureAwait(false);
        }
    }

    public static string NoDatasourceMessage(HostConfiguration configuration)
    {
        var failures = configuration.Catalog.Errors.Count == 0 ? string.Empty
            : " (plugins that failed to load: " + string.Join("; ", configuration.Catalog.Errors) + ")";
        return $"no datasource is enabled: no plugin was found in {string.Join(", ", configuration.Host.PluginPaths)}{failures}";
    }

    /// <summary>Loads and validates the configuration and logs its warnings.</summary>
    public static (HostConfiguration Configuration, ILoggerFactory Logging) LoadConfiguration(ConfigFileSet files, bool requireDatasource)
    {
        var configuration = HostConfigurationLoader.Load(files);
        if (requireDatasource && configuration.Datasources.Count == 0)
        {
            throw new ConfigException(NoDatasourceMessage(configuration));
        }

        var logging = HostLogging.Create(configuration.Host.Logging);
        HostLogging.Report(configuration.Diagnostics, logging.CreateLogger("PluginHost.Configuration"));
        return (configuration, logging);
    }
}
