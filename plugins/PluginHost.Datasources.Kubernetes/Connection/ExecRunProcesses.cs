using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>
/// The processes of one exec plugin run: the command and whatever it started, stopped together.
/// <see cref="Process.Kill(bool)"/> with the whole tree finds only the descendants still linked to
/// the command by their parent ids; a child of a shell that exited, or of a daemon's double fork,
/// has been handed to init and is no longer below it. So every run puts a marker of its own into
/// the command's environment, which its children inherit wherever they are re-parented, and
/// <see cref="StopAllAsync"/> also stops every process of this user whose environment holds it (Linux,
/// from /proc). A child that clears its environment and leaves the tree is out of reach.
/// </summary>
internal sealed class ExecRunProcesses : IAsyncDisposable
{
    /// <summary>The variable that marks a run's processes; its value is new for every run.</summary>
    internal const string MarkerVariable = "PLUGINHOST_EXEC_RUN";

    // Killed processes take a moment to die and a forking one may start another meanwhile: scan
    // again until none is left, a bounded number of times.
    private const int MaxRounds = 50;
    private static readonly TimeSpan RoundPause = TimeSpan.FromMilliseconds(20);

    private readonly byte[] _marker;

    private ExecRunProcesses(Process process, string marker)
    {
        Process = process;
        _marker = Encoding.UTF8.GetBytes($"{MarkerVariable}={marker}");
    }

    /// <summary>The command itself.</summary>
    public Process Process { get; }

    /// <summary>Starts the command with the run's marker added to <paramref name="start"/>'s environment.</summary>
    /// <exception cref="Win32Exception">The command cannot be started.</exception>
    public static ExecRunProcesses Start(ProcessStartInfo start)
    {
        var marker = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        start.Environment[MarkerVariable] = marker;
        var process = Process.Start(start) ?? throw new Win32Exception("the process did not start");
        return new ExecRunProcesses(process, marker);
    }

    /// <summary>Stops the command, its tree and every process still carrying the run's marker.</summary>
    public async Task StopAllAsync()
    {
        try
        {
            Process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or AggregateException)
        {
            // exited meanwhile, or a descendant could not be killed: the scan below tries again
        }

        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        for (var round = 0; round < MaxRounds; round++)
        {
            var marked = Marked();
            if (marked.Count == 0)
            {
                return;
            }

            foreach (var pid in marked)
            {
                Kill(pid);
            }

            await Task.Delay(RoundPause).ConfigureAwait(false);
        }
    }

    /// <summary>Stops what is left of the run and releases the command's handle.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAllAsync().ConfigureAwait(false);
        Process.Dispose();
    }

    // Our own processes only: another user's environment cannot be read, and a zombie's is empty.
    private List<int> Marked()
    {
        var marked = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId
                && HasMarker(pid))
            {
                marked.Add(pid);
            }
        }

        return marked;
    }

    // /proc/<pid>/environ: NAME=value entries, each ended by a NUL.
    private bool HasMarker(int pid)
    {
        byte[] environment;
        try
        {
            environment = File.ReadAllBytes($"/proc/{pid}/environ");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        foreach (var range in ((ReadOnlySpan<byte>)environment).Split((byte)0))
        {
            if (environment.AsSpan(range).SequenceEqual(_marker))
            {
                return true;
            }
        }

        return false;
    }

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or Win32Exception)
        {
            // it ended meanwhile
        }
    }
}
