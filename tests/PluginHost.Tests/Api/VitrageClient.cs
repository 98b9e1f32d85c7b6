using System.Diagnostics;
using System.Text.Json;

namespace PluginHost.Tests.Api;

/// <summary>
/// The real python3-vitrageclient (Debian's package; scripts/test.sh installs it), run with the
/// system Python as an operator runs it: noauth as user admin of project admin.
/// </summary>
internal static class VitrageClient
{
    public const string Executable = "/usr/bin/vitrage";

    public static async Task<JsonElement> RunJsonAsync(Uri endpoint, params string[] command)
    {
        var (exitCode, stdout, stderr) = await RunAsync(endpoint, [.. command, "-f", "json"]);
        exitCode.ShouldBe(0, $"vitrage {string.Join(' ', command)}: {stderr}");
        using var document = JsonDocument.Parse(stdout);
        return document.RootElement.Clone();
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(Uri endpoint, params string[] command)
    {
        File.Exists(Executable).ShouldBeTrue("python3-vitrageclient is not installed (apt-get install python3-vitrageclient; scripts/test.sh does it)");
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Executable, "--os-auth-type", "vitrage-noauth", "--user-id", "admin", "--project-id", "admin", "--endpoint", endpoint.ToString().TrimEnd('/') })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var arg in command)
        {
            start.ArgumentList.Add(arg);
        }

        // The operator's own OpenStack settings must not steer the client.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("OS_", StringComparison.Ordinal) || k.StartsWith("VITRAGE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
