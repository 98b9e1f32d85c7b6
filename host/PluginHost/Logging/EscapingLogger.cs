using Microsoft.Extensions.Logging;

namespace PluginHost.Logging;

/// <summary>
/// The logger a datasource's driver gets: every message has its control characters escaped
/// (<see cref="LogText.Escape"/>) before it is written. A plugin puts text from API servers, files and
/// credential plugins into its lines (node names, a watch's undecodable line, a Status message), and a
/// newline or an escape sequence in them would forge log lines or reach a terminal raw; escaping here
/// keeps that promise for every plugin and every line, not only where a plugin remembered to.
/// Text already escaped stays as it is.
/// </summary>
internal sealed class EscapingLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        inner.Log(logLevel, eventId, state, exception, (s, e) => LogText.Escape(formatter(s, e)));
}
