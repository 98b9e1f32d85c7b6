using PluginHost.Cli;

namespace PluginHost.Tests.Cli;

public sealed class YamlWarmUpTests
{
    [Fact]
    public void Start_Called_ParsesOnABackgroundThreadThatEnds()
    {
        // A thread that has ended cannot say whether it was a background one, and in a test process
        // (YamlDotNet already loaded) the warm-up may end before the next line: started again until
        // one is caught running (the first, nearly always).
        bool? background = null;
        for (var attempt = 0; attempt < 50 && background is null; attempt++)
        {
            var thread = YamlWarmUp.Start();
            thread.ManagedThreadId.ShouldNotBe(Environment.CurrentManagedThreadId);
            try
            {
                background = thread.IsBackground;
            }
            catch (ThreadStateException)
            {
                // ended already
            }

            thread.Join(TimeSpan.FromSeconds(30)).ShouldBeTrue();
        }

        // Background: a check-config that finishes first is never held open by it.
        background.ShouldBe(true);
    }
}
