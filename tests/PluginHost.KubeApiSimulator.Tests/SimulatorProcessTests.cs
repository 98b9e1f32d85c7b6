using System.Diagnostics;
using System.Runtime.InteropServices;
using PluginHost.Tests.Support;

namespace PluginHost.KubeApiSimulator.Tests;

/// <summary>The simulator as an operator runs it: a process that stops on SIGTERM and Ctrl+C.</summary>
public sealed class SimulatorProcessTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [Theory]
    [InlineData("SIGTERM", 15)]
    [InlineData("SIGINT (Ctrl+C)", 2)]
    public async Task Process_Signal_StopsWithExitCodeZero(string name, int signal)
    {
        Assert.SkipWhen(signal == 2 && InheritedSignals.SigIntIgnored, InheritedSignals.SigIntIgnoredReason);
        var dll = Path.Combine(AppContext.BaseDirectory, "PluginHost.KubeApiSimulator.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { dll, "--nodes", "2" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        try
        {
            var serving = false;
            using (var startup = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken))
            {
                startup.CancelAfter(TimeSpan.FromSeconds(30));
                while (!serving && await process.StandardOutput.ReadLineAsync(startup.Token) is { } line)
                {
                    serving = line.StartsWith("Serving", StringComparison.Ordinal);
                }
            }

            serving.ShouldBeTrue(name);
            kill(process.Id, signal).ShouldBe(0);
            using var stopped = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            stopped.CancelAfter(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(stopped.Token);
            process.ExitCode.ShouldBe(0, name);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
