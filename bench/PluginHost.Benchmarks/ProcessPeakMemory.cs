using System.Diagnostics;

namespace PluginHost.Benchmarks;

/// <summary>Runs the real <c>pluginhost snapshot</c> as its own process and samples its peak working set.</summary>
internal static class ProcessPeakMemory
{
    public static async Task<(double PeakMiB, double Seconds, int ExitCode)> SnapshotAsync(string configFile)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { BenchmarkPaths.HostDll, "snapshot", "--config-file", configFile, "--format", "json" })
        {
            start.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var drain = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var errors = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            try
            {
                process.Refresh();
                peak = Math.Max(peak, process.PeakWorkingSet64); // VmHWM on Linux: the kernel's own high-water mark
            }
            catch (InvalidOperationException)
            {
                break;
            }

            await Task.Delay(20);
        }

        await process.WaitForExitAsync();
        await drain;
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine(await errors);
        }

        return (peak / 1024.0 / 1024.0, clock.Elapsed.TotalSeconds, process.ExitCode);
    }
}
