using System.Diagnostics;

namespace PluginHost.Tests.History;

/// <summary>
/// A real, small file system (a tmpfs of a few hundred KiB mounted for the test) that a test can
/// fill to the last byte and free again: a full disk as the host meets it, not a simulated error.
/// Mounting needs root (CAP_SYS_ADMIN); where that is not allowed the test is skipped, saying why.
/// </summary>
internal sealed class SmallDisk : IDisposable
{
    private readonly string _filler;

    private SmallDisk(string mountPoint)
    {
        Path = mountPoint;
        _filler = System.IO.Path.Combine(mountPoint, "filler");
    }

    public string Path { get; }

    public static SmallDisk Mount(string mountPoint, int kibibytes)
    {
        Directory.CreateDirectory(mountPoint);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={kibibytes}k", "tmpfs", mountPoint);
        Assert.SkipWhen(code != 0, $"a full disk needs a small tmpfs, and mount failed here ({code}: {output.Trim()})");
        return new SmallDisk(mountPoint);
    }

    /// <summary>Takes every free byte, so the next write that needs a new block fails with ENOSPC.</summary>
    public void Fill()
    {
        using var file = new FileStream(_filler, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 1);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                file.Write(block);
            }
        }
        catch (IOException)
        {
            // full
        }
    }

    public void Free() => File.Delete(_filler);

    public void Dispose() => Run("umount", "-l", Path);

    private static (int Code, string Output) Run(string program, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
            args.ToList().ForEach(start.ArgumentList.Add);
            using var process = Process.Start(start)!;
            var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit(TimeSpan.FromSeconds(30)).ShouldBeTrue($"{program} did not exit within 30 s");
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
