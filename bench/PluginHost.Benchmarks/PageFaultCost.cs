using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace PluginHost.Benchmarks;

/// <summary>
/// What this machine charges for a page of fresh memory, printed beside the cold and start-up
/// figures. A process's first touch of each 4 KiB page is a page fault; on the VMs these figures
/// come from it cost 12–13 us (against well under 1 us on bare metal), and a cold 5,000-node
/// snapshot takes ~22,000 of them, ~16,000 in the collector's heap (bench/README.md): a VM where
/// faults are dearer moves every figure of a whole process, not the code's.
/// </summary>
internal static class PageFaultCost
{
    private const int Bytes = 64 << 20;
    private const int Page = 4096;

    /// <summary>Microseconds per first-touched page: the median of three fresh 64 MiB mappings.</summary>
    public static double MicrosecondsPerPage()
    {
        var samples = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            // Above glibc's largest mmap threshold (32 MiB): fresh pages from the kernel every time.
            var memory = Marshal.AllocHGlobal(Bytes);
            try
            {
                var clock = Stopwatch.StartNew();
                for (var offset = 0; offset < Bytes; offset += Page)
                {
                    Marshal.WriteByte(memory, offset, 1);
                }

                samples.Add(clock.Elapsed.TotalMicroseconds / (Bytes / Page));
            }
            finally
            {
                Marshal.FreeHGlobal(memory);
            }
        }

        return Statistics.Median(samples);
    }

    public static string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"a fresh 4 KiB page costs {MicrosecondsPerPage():F1} us to first touch here (64 MiB, median of 3)");
}
