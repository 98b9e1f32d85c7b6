using System.Diagnostics;
using System.Globalization;

namespace PluginHost.Tests.WebView;

/// <summary>
/// The processes below one of ours, read from /proc, so that a test can end exactly the processes
/// it caused (chromedriver's chromium and chromium's helpers) by their ids, even after the parent
/// is gone and they were handed to init.
/// </summary>
internal static class ProcessTree
{
    /// <summary>A process as /proc names it once: its id and start time (an id may be reused, a start time tells).</summary>
    public readonly record struct ProcessId(int Pid, long StartTicks);

    public static IReadOnlyList<ProcessId> Descendants(int root)
    {
        var children = new Dictionary<int, List<ProcessId>>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } stat)
            {
                (children.TryGetValue(stat.Parent, out var list) ? list : children[stat.Parent] = []).Add(new ProcessId(pid, stat.StartTicks));
            }
        }

        var result = new List<ProcessId>();
        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out var parent))
        {
            foreach (var child in children.GetValueOrDefault(parent) ?? [])
            {
                result.Add(child);
                queue.Enqueue(child.Pid);
            }
        }

        return result;
    }

    /// <summary>Kills the process if it is still the one that was seen (same id, same start time).</summary>
    public static void KillIfStillRunning(ProcessId process)
    {
        if (Read(process.Pid)?.StartTicks != process.StartTicks)
        {
            return;
        }

        try
        {
            using var running = Process.GetProcessById(process.Pid);
            running.Kill();
            running.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // it ended meanwhile
        }
    }

    // /proc/<pid>/stat: "pid (comm) state ppid ... starttime(22nd field) ..."; comm may hold spaces and parentheses.
    private static (int Parent, long StartTicks)? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[19], CultureInfo.InvariantCulture));
    }
}
