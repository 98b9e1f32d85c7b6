using System.Globalization;

namespace PluginHost.Tests.Support;

/// <summary>
/// Signal dispositions this test process inherited. A shell without job control starts a
/// background command (`scripts/test.sh &`) with SIGINT ignored, every child inherits that, and
/// .NET keeps a signal ignored at start ignored (as POSIX daemons should): a SIGINT test can then
/// only fail, so it is skipped with this reason instead.
/// </summary>
internal static class InheritedSignals
{
    public const string SigIntIgnoredReason =
        "SIGINT is ignored by this test run (started in the background by a shell without job control), so its children ignore it too";

    public static bool SigIntIgnored => IsIgnored(2);

    /// <summary>Why a test that sends <paramref name="signal"/> to a host started from here is skipped.</summary>
    public static string Reason(int signal) => signal == 2
        ? SigIntIgnoredReason
        : $"signal {signal} is ignored by this test run (nohup ignores SIGHUP), so its children ignore it too";

    public static bool IsIgnored(int signal)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null
            && ulong.TryParse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask)
            && (mask & (1UL << (signal - 1))) != 0;
    }
}
