using PluginHost.Plugins;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Plugins;

/// <summary>
/// A plugin's copy of a dependency is the host's only when every byte is the same: the files are
/// compared chunk by chunk (64 KiB), so a difference anywhere — in the first chunk, a middle one,
/// the short last one — keeps the plugin's own copy.
/// </summary>
public sealed class HostAssembliesTests
{
    // An assembly the test host loads from its trusted platform assemblies, larger than a few chunks.
    private const string Name = "Shouldly";

    private static readonly string HostCopy = typeof(Shouldly.Should).Assembly.Location;

    public static TheoryData<string, Func<long, long?>, bool> Copies => new()
    {
        { "an identical copy", _ => null, true },
        { "a byte changed in the first chunk", _ => 100, false },
        { "a byte changed at the end of a chunk", _ => (64 * 1024) - 1, false },
        { "a byte changed in a middle chunk", length => length / 2, false },
        { "a byte changed in the short last chunk", length => length - 1, false },
    };

    [Theory]
    [MemberData(nameof(Copies))]
    public void HasIdentical_CopyOfAHostAssembly_OnlyWhenEveryByteIsTheSame(string name, Func<long, long?> changedByte, bool identical)
    {
        using var temp = new TempFolder();
        var bytes = File.ReadAllBytes(HostCopy);
        bytes.Length.ShouldBeGreaterThan(3 * 64 * 1024, "the assembly spans several chunks");
        if (changedByte(bytes.Length) is { } at)
        {
            bytes[at] ^= 0x5A;
        }

        var copy = temp.Combine(Name + ".dll");
        File.WriteAllBytes(copy, bytes);

        HostAssemblies.HasIdentical(Name, copy).ShouldBe(identical, name);
    }

    [Fact]
    public void HasIdentical_CopyOfAnotherLength_IsNotTheHosts()
    {
        using var temp = new TempFolder();
        var copy = temp.Combine(Name + ".dll");
        File.WriteAllBytes(copy, [.. File.ReadAllBytes(HostCopy), 0]);

        HostAssemblies.HasIdentical(Name, copy).ShouldBeFalse();
    }
}
