using System.Globalization;
using System.Runtime.InteropServices;

namespace PluginHost.Cli;

/// <summary>
/// The process's signals, handled from the first line of <c>Main</c>: SIGTERM and SIGINT request an
/// orderly stop (whatever the process is doing: loading configuration, running an exec
/// credential plugin, snapshotting), SIGHUP asks <c>run</c> to reload its configuration. A stop
/// that takes longer than the shutdown timeout, or a second stop signal, ends the process at once
/// with <see cref="InterruptedExitCode"/> (0 for <c>run</c>), so a service manager's SIGTERM always works.
/// </summary>
internal static class ProcessSignals
{
    private static readonly CancellationTokenSource Stop = new();
    private static readonly List<PosixSignalRegistration> Registrations = [];
    private static long _shutdownTimeoutTicks = TimeSpan.FromSeconds(10).Ticks;

    /// <summary>The exit code of a stop forced by the deadline or a second signal: 0 only for the
    /// service, whose stop is its normal end; a one-shot verb cut short (<c>check-config</c> of a file
    /// that never opened, a snapshot) exits 1, so that <c>check-config &amp;&amp; ...</c> does not go on.</summary>
    public static int InterruptedExitCode { get; set; } = ExitCodes.DatasourceFailed;

    /// <summary>Cancelled by SIGTERM or SIGINT.</summary>
    public static CancellationToken Stopping => Stop.Token;

    /// <summary>Raised on SIGHUP, on the signal's thread; handlers must return quickly.</summary>
    public static event Action? Hangup;

    /// <summary>How long a stop may take before the process exits anyway (set once the configuration is known).</summary>
    public static TimeSpan ShutdownTimeout
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _shutdownTimeoutTicks));
        set => Interlocked.Exchange(ref _shutdownTimeoutTicks, value.Ticks);
    }

    /// <summary>
    /// SIGHUP is ignored by this process: it inherited that disposition (nohup sets it) and the
    /// runtime keeps an ignored signal ignored, so <c>kill -HUP</c> reloads nothing. Read from the
    /// kernel's own record of it (Linux; elsewhere false).
    /// </summary>
    public static bool HangupIgnored => IsIgnored(1);

    private static bool IsIgnored(int signal)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
            return line is not null
                && ulong.TryParse(line.AsSpan("SigIgn:".Length).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask)
                && (mask & (1UL << (signal - 1))) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // no /proc: nothing known, nothing said
        }
    }

    public static void Install()
    {
        if (OperatingSystem.IsWindows() || Registrations.Count > 0)
        {
            return;
        }

        Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnStop));
        Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnStop));
        Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnHangup));
    }

    private static void OnStop(PosixSignalContext context)
    {
        context.Cancel = true; // not the runtime's default (exit 143 without cleanup)
        if (Stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("Second stop signal: exiting now");
            Environment.Exit(InterruptedExitCode);
        }

        Stop.Cancel();
        var deadline = ShutdownTimeout + TimeSpan.FromSeconds(1);
        _ = Task.Run(async () =>
        {
            await Task.Delay(deadline).ConfigureAwait(false);
            Console.Error.WriteLine($"Stopping took longer than {deadline.TotalSeconds:0} s ([plugin_host] shutdown_timeout): exiting now");
            Environment.Exit(InterruptedExitCode);
        });
    }

    private static void OnHangup(PosixSignalContext context)
    {
        context.Cancel = true; // the default would end the process (exit 129)
        Hangup?.Invoke();
    }
}
