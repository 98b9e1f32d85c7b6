using System.Diagnostics;

namespace PluginHost.Datasources.Kubernetes.Tests.Parity;

/// <summary>
/// The real kubectl (/usr/bin/kubectl, or on PATH): <c>get nodes</c> with no terminal (stdin
/// closed, so a prompt reads end-of-file), its own discovery cache, and a deadline after which it
/// is killed — kubectl itself waits for ever on some servers.
/// </summary>
internal static class Kubectl
{
    public static string? Path { get; } = new[] { "/usr/bin/kubectl" }
        .Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator).Select(p => System.IO.Path.Combine(p, "kubectl")))
        .FirstOrDefault(File.Exists);

    public sealed record Result(int? ExitCode, string Stdout, string Stderr)
    {
        /// <summary>Killed at the deadline: kubectl did not finish.</summary>
        public bool Hung => ExitCode is null;
    }

    public static async Task<Result> GetNodesAsync(
        IReadOnlyDictionary<string, string?> environment, IEnumerable<string> args, string cacheFolder, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Path ?? throw new InvalidOperationException("kubectl is not installed"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "get", "nodes", "--request-timeout=5s", "--cache-dir", cacheFolder }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

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

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(cancellationToken);
            return new Result(null, await stdout, await stderr);
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
