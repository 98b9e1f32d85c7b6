using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PluginHost.Benchmarks;

/// <summary>The host as its own process: its log, its resident memory (/proc), stopped with SIGTERM.</summary>
internal sealed partial class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _log = [];
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process)
    {
        _process = process;
    }

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public static async Task<HostProcess> StartAsync(string configFile, HostBinary? binary = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        binary ??= HostBinary.From(null);
        var start = new ProcessStartInfo(binary.Program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in binary.Arguments("run", "--config-file", configFile))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var host = new HostProcess(Process.Start(start)!);
        host._process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        host._process.BeginErrorReadLine();
        host._process.OutputDataReceived += (_, _) => { };
        host._process.BeginOutputReadLine();
        host.BaseUrl = await host._listening.Task.WaitAsync(TimeSpan.FromMinutes(1));
        return host;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Add(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    public int Id => _process.Id;

    /// <summary>The log lines so far.</summary>
    public List<string> Lines()
    {
        lock (_log)
        {
            return [.. _log];
        }
    }

    /// <summary>The server time of each API request the host logged, in order.</summary>
    public List<double> ServerTimes()
    {
        lock (_log)
        {
            return _log.Select(l => AnsweredLine().Match(l)).Where(m => m.Success)
                .Select(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).ToList();
        }
    }

    public double ResidentMiB() => Status("VmRSS");

    /// <summary>CPU time the process used so far, user and system (<c>/proc/PID/stat</c>, in clock ticks of 1/100 s).</summary>
    public double CpuSeconds()
    {
        // The command name may hold spaces; the fields after its closing parenthesis do not.
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public double PeakMiB() => Status("VmHWM");

    /// <summary>Resets the kernel's peak resident size (VmHWM) of the process to its current size.</summary>
    public void ResetPeak() => File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");

    private double Status(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    public async ValueTask DisposeAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
    }

    [GeneratedRegex(@"REST API listening on (\S+)")]
    private static partial Regex ListeningLine();

    // The API middleware's debug line, in either log format (console "[0]" or oslo "[-]").
    [GeneratedRegex(@"PluginHost\.Api(?:\[0\]| \[-\]) (\S+ \S+) answered \d+ in ([0-9.]+) ms")]
    private static partial Regex AnsweredLine();
}
