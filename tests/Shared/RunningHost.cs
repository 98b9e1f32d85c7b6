using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace PluginHost.Tests.Support;

/// <summary>
/// The built host as a long-running process (<c>run</c>): its stderr is collected as it comes,
/// tests wait for a line, send signals by PID, and wait for the exit. Disposing kills it if it
/// still runs, so a failing test never leaves a host behind.
/// </summary>
internal sealed class RunningHost : IAsyncDisposable
{
    public const int SigHup = 1;
    public const int SigInt = 2;
    public const int SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _stdout = new();

    private RunningHost(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static RunningHost Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    public static RunningHost Start(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Start(environment, ignoredSignal: null, args);

    /// <summary>Starts the host with <paramref name="signal"/> ignored, as <c>nohup</c> starts a program for SIGHUP.</summary>
    public static RunningHost StartIgnoring(int signal, params string[] args) => Start(new Dictionary<string, string>(), signal, args);

    private static RunningHost Start(IReadOnlyDictionary<string, string> environment, int? ignoredSignal, string[] args)
    {
        var start = new ProcessStartInfo(ignoredSignal is null ? "dotnet" : "/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        if (ignoredSignal is { } ignored)
        {
            // The shell ignores it and execs the host, which inherits that (and keeps the shell's PID).
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"trap '' {ignored}; exec dotnet \"$@\"");
            start.ArgumentList.Add("sh");
        }

        start.ArgumentList.Add(TestRepository.HostDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var host = new RunningHost(Process.Start(start)!);
        host._process.ErrorDataReceived += (_, e) => Append(host._stderr, e.Data);
        host._process.OutputDataReceived += (_, e) => Append(host._stdout, e.Data);
        host._process.BeginErrorReadLine();
        host._process.BeginOutputReadLine();
        return host;
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is not null)
        {
            lock (builder)
            {
                builder.AppendLine(line);
            }
        }
    }

    /// <summary>Waits until stderr contains <paramref name="text"/> (or the condition holds).</summary>
    public Task WaitForLogAsync(string text, int seconds = 30) =>
        WaitUntilAsync(() => Stderr.Contains(text, StringComparison.Ordinal), $"stderr to contain '{text}'", seconds);

    public async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {seconds} s for {what}; the host {(HasExited ? $"exited with {ExitCode}" : "still runs")}; stderr:\n{Stderr}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Waits until the API's <c>/v1/status/</c> is OK: a complete snapshot of every datasource is in the
    /// published graph, a moment after the runner's and the processor's log lines (reads answer 503 before).
    /// </summary>
    public async Task WaitForGraphReadyAsync(HttpClient api, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            using (var status = await api.GetAsync("v1/status/"))
            {
                if (status.IsSuccessStatusCode)
                {
                    return;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {seconds} s for the graph to be ready; stderr:\n{Stderr}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The REST API's address, as the host logs it when it listens ([api] port = 0 picks a free one).</summary>
    public async Task<Uri> ApiUrlAsync(int seconds = 30)
    {
        const string marker = "REST API listening on ";
        await WaitForLogAsync(marker, seconds);
        var line = Stderr.Split('\n').First(l => l.Contains(marker, StringComparison.Ordinal));
        var start = line.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        return new Uri(line[start..].Split(' ')[0]);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/>; skips the test when this run ignores it (the host would inherit that: <see cref="InheritedSignals"/>).</summary>
    public void Signal(int signal)
    {
        Assert.SkipWhen(InheritedSignals.IsIgnored(signal), InheritedSignals.Reason(signal));
        kill(_process.Id, signal).ShouldBe(0, $"kill -{signal} {_process.Id}");
    }

    /// <summary>Waits for the exit; returns how long it took.</summary>
    public async Task<TimeSpan> WaitForExitAsync(int seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the host did not exit within {seconds} s; stderr:\n{Stderr}");
        }

        _process.WaitForExit(); // the output readers are done too
        return clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
