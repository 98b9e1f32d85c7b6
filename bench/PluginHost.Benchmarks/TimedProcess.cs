using System.Diagnostics;
using System.Globalization;

namespace PluginHost.Benchmarks;

/// <summary>
/// Runs a whole process under <c>/usr/bin/time</c>, which reports the kernel's own figures for
/// the child (wall time, CPU time, peak resident set from wait4's ru_maxrss), so a short process
/// is measured exactly rather than by polling /proc, which misses a peak in its last milliseconds.
/// Standard output is read into nothing; standard error is kept for a failure's message.
/// </summary>
internal static class TimedProcess
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    public static async Task<ProcessFigures> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var timeFile = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "-o", timeFile, "-f", "%e %U %S %M", program }.Concat(arguments))
            {
                start.ArgumentList.Add(arg);
            }

            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[name] = value;
            }

            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var drain = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
            var errors = process.StandardError.ReadToEndAsync();
            using (var deadline = new CancellationTokenSource(Deadline))
            {
                await process.WaitForExitAsync(deadline.Token);
            }

            clock.Stop();
            await drain;
            var text = (await File.ReadAllTextAsync(timeFile)).Trim().Split('\n')[^1].Split(' ');
            var figures = new ProcessFigures(
                clock.Elapsed.TotalSeconds, // time's %e has only 10 ms steps
                double.Parse(text[1], CultureInfo.InvariantCulture) + double.Parse(text[2], CultureInfo.InvariantCulture),
                double.Parse(text[3], CultureInfo.InvariantCulture) / 1024.0,
                process.ExitCode,
                await errors);
            return figures;
        }
        finally
        {
            File.Delete(timeFile);
        }
    }
}

/// <summary>What <c>/usr/bin/time</c> says of one process.</summary>
internal sealed record ProcessFigures(double WallSeconds, double CpuSeconds, double PeakMiB, int ExitCode, string StandardError);
