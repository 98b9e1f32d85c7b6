using System.Diagnostics;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Operations;

/// <summary>
/// One install, published as the README says (<c>dotnet publish host/PluginHost -c Release -r linux-x64 -o DIR</c>),
/// shared by the install and package tests: publishing takes a minute or two.
/// </summary>
public sealed class PublishedInstall : IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    public string Folder => _folder.Combine("install");

    public string Host => Path.Combine(Folder, "PluginHost");

    public string PublishLog { get; private set; } = string.Empty;

    public int PublishExitCode { get; private set; }

    public async ValueTask InitializeAsync()
    {
        // PluginHostOutputDir=none: the plugins built on the way must not be copied over the ones
        // beside the build's host, which other tests are using.
        var (exitCode, output) = await RunAsync("dotnet",
            ["publish", Path.Combine(TestRepository.Root, "host", "PluginHost"), "-c", "Release", "-r", "linux-x64", "-o", Folder,
             "-p:PluginHostOutputDir=none", "--nologo", "-clp:ErrorsOnly"], TimeSpan.FromMinutes(8));
        (PublishExitCode, PublishLog) = (exitCode, output);
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? Path.GetTempPath() };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} took longer than {timeout}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    public ValueTask DisposeAsync()
    {
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
