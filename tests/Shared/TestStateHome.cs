using System.Runtime.CompilerServices;

namespace PluginHost.Tests.Support;

/// <summary>
/// Each test process keeps the host's default state (the alarm history's <c>history.db</c> when a
/// test sets no <c>state_dir</c>) in a folder of its own, which the hosts it starts inherit.
/// Without it every in-process host and every <c>run</c> of every test project, and of test runs
/// in other clones at the same time, would share one SQLite file in ~/.local/state/pluginhost.
/// </summary>
internal static class TestStateHome
{
#pragma warning disable CA2255 // a test assembly: nothing else loads it, and it must hold before the first test
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Isolate()
    {
        var folder = Directory.CreateTempSubdirectory("pluginhost-state-").FullName;
        Environment.SetEnvironmentVariable("XDG_STATE_HOME", folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // a host a test left behind still holds it: /tmp is cleaned anyway
            }
        };
    }
}
