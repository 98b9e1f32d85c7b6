using System.Diagnostics;

namespace PluginHost.KubeApiSimulator.Tests;

/// <summary>The simulator as a process, as the README and scripts run it.</summary>
public sealed class StandaloneTests
{
    [Theory]
    [InlineData("SIGTERM", "TERM")]
    [InlineData("SIGINT", "INT")]
    public async Task Process_Signal_StopsWithExitCodeZero(string name, string signal)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "POSIX signals");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PluginHost.KubeApiSimulator.dll"));
        start.ArgumentList.Add("--nodes");
        start.ArgumentList.Add("1");
        using var process = Process.Start(start)!;
        try
        {
            using var started = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (await process.StandardOutput.ReadLineAsync(started.Token) is { } line && !line.StartsWith("Serving", StringComparison.Ordinal))
            {
            }

            using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            }

            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(stopped.Token);
            process.ExitCode.ShouldBe(0, name);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true); // only the process this test started
            }
        }
    }
}
