using Microsoft.Extensions.Logging;
using PluginHost.Logging;

namespace PluginHost.Tests.Logging;

public sealed class OsloLoggerProviderTests
{
    // Found by a hostile test (stop 39): the Kubernetes plugin's "skipped 1 of 32 nodes (1 without
    // metadata.uid): <name>" printed the name as the API server sent it, ESC sequences and all, and
    // so could any plugin's or host's message that did not escape its arguments itself.
    [Theory]
    [InlineData("an ANSI escape", "n\u001b[2J", "n\\u001b[2J")]
    [InlineData("a window title and a bell", "\u001b]0;pwned\u0007", "\\u001b]0;pwned\\u0007")]
    [InlineData("a carriage return that would overwrite the line", "ok\rERROR", "ok\\rERROR")]
    [InlineData("a C1 control sequence", "\u009b2J", "\\u009b2J")]
    [InlineData("a line break: a message of several lines stays so", "first\nsecond", "first\nsecond")]
    public void Text_MessageWithControlCharacters_WritesThemEscaped(string name, string value, string expected)
    {
        var sink = new LinesSink();
        using var provider = new OsloLoggerProvider(LogSettings.Default, sink, TimeProvider.System);

        provider.CreateLogger("PluginHost.Datasources.kubernetes").LogWarning("skipped: {Name}", value);

        sink.Lines.Single().ShouldEndWith("[-] skipped: " + expected, Case.Sensitive, name);
    }

    [Fact]
    public void Text_ExceptionMessageWithControlCharacters_TracebackLinesEscaped()
    {
        var sink = new LinesSink();
        using var provider = new OsloLoggerProvider(LogSettings.Default, sink, TimeProvider.System);

        provider.CreateLogger("PluginHost").LogError(new InvalidOperationException("bad \u001b[2J node"), "failed");

        var lines = sink.Lines.Single().Split(Environment.NewLine);
        lines[1].ShouldEndWith("[-] System.InvalidOperationException: bad \\u001b[2J node");
    }

    private sealed class LinesSink : LogSink
    {
        public List<string> Lines { get; } = [];

        public override void Write(LogRecord record, string line) => Lines.Add(line);
    }
}
