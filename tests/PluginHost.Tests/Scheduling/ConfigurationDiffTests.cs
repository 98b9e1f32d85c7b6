using PluginHost.Configuration;
using PluginHost.Scheduling;

namespace PluginHost.Tests.Scheduling;

/// <summary>What a reload may change at once and what needs a restart.</summary>
public sealed class ConfigurationDiffTests
{
    [Fact]
    public void RestartOnly_ReleaseMemoryBelowChanged_NeedsARestartAndKeepsTheRunningBound()
    {
        var running = new HostSettings { ReleaseMemoryBelowMiB = 256 };
        var reloaded = new HostSettings { ReleaseMemoryBelowMiB = 0 };

        ConfigurationDiff.RestartOnly(running, reloaded).ShouldBe([("[plugin_host] release_memory_below", "256", "0")]);
        ConfigurationDiff.KeepRestartOnly(running, reloaded).ReleaseMemoryBelowMiB.ShouldBe(256);
    }
}
