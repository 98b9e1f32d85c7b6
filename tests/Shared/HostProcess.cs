using System.Diagnostics;

namespace PluginHost.Tests.Support;

/// <summary>Runs the built host as a user would, capturing stdout, stderr and the exit code.</summary>
internal static class HostProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Task<Result> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string?>(), args);

    /// <summary>Runs the host with <paramref name="environment"/> set (a null value removes the variable).</summary>
    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        start.ArgumentList.Add(TestRepository.HostDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A host that hangs (a regression under test) must not outlive its test: one left from a
            // failing run of the FIFO test was still blocked in its open two hours later (stop 40).
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pluginhost {string.Join(' ', args)} did not exit within 2 minutes; it was killed");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
