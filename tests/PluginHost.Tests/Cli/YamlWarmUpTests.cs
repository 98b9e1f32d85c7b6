using PluginHost.Cli;

namespace PluginHost.Tests.Cli;

public sealed class YamlWarmUpTests
{
    [Fact]
    public void Start_Called_ParsesOnABackgroundThreadThatEnds()
    {
        var thread = YamlWarmUp.Start();

        // Background: a check-config that finishes first is never held open by it.
        thread.IsBackground.ShouldBeTrue();
        thread.ManagedThreadId.ShouldNotBe(Environment.CurrentManagedThreadId);
        thread.Join(TimeSpan.FromSeconds(30)).ShouldBeTrue();
    }
}
