using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace PluginHost.Logging;

/// <summary>
/// Log lines like an OpenStack service writes them (oslo.log's default format):
/// <c>2026-11-27 09:33:26.123 4242 INFO PluginHost.Datasources.kubernetes [-] message</c>, or one JSON
/// object per record with oslo's JSONFormatter keys. The level and the sink can change while the
/// host runs (SIGHUP). Microsoft.Extensions.Logging's console logger has neither the format nor a
/// log file that can be reopened, hence this small provider.
/// </summary>
internal sealed class OsloLoggerProvider : ILoggerProvider
{
    private static readonly int ProcessId = Environment.ProcessId;

    private readonly TimeProvider _time;
    private LogSink _sink;
    private LogSettings _settings;
    private string _dateFormat;

    public OsloLoggerProvider(LogSettings settings, LogSink sink, TimeProvider time)
    {
        _time = time;
        _sink = sink;
        _settings = settings;
        _dateFormat = PythonDateFormat.ToDotNet(settings.DateFormat, out _) ?? PythonDateFormat.ToDotNet(LogSettings.DefaultDateFormat, out _)!;
    }

    public LogLevel MinimumLevel => Volatile.Read(ref _settings).Level;

    /// <summary>New settings (a reload); the old sink is closed when the new one differs.</summary>
    public void Apply(LogSettings settings, LogSink? newSink)
    {
        _dateFormat = PythonDateFormat.ToDotNet(settings.DateFormat, out _) ?? _dateFormat;
        Volatile.Write(ref _settings, settings);
        if (newSink is not null)
        {
            Interlocked.Exchange(ref _sink, newSink).Dispose();
        }
    }

    public void Reopen() => Volatile.Read(ref _sink).Reopen();

    public ILogger CreateLogger(string categoryName) => new OsloLogger(this, categoryName);

    private void Write(LogRecord record)
    {
        var settings = Volatile.Read(ref _settings);
        var line = settings.Json ? Json(record) : Text(record);
        Volatile.Read(ref _sink).Write(record, line);
    }

    private string Text(LogRecord record)
    {
        var header = $"{PythonDateFormat.Format(record.Time, _dateFormat)}.{record.Time.Millisecond:000} {ProcessId} {record.LevelName} {record.Category} [-] ";
        // Messages and tracebacks carry what datasources and servers sent (a node's name in a plugin's
        // warning, an API server's error): no control character but a line break reaches the terminal
        // or the file raw, wherever the message was made, so none can clear the screen or retitle it.
        var message = LogText.Escape(record.Message, keepLineBreaks: true);
        if (record.Exception is null)
        {
            return header + message;
        }

        // Like oslo: every line of a traceback carries the header, so grep finds all of it.
        return header + message + Environment.NewLine
            + string.Join(Environment.NewLine, record.Exception.Split('\n').Select(l => header + LogText.Escape(l.TrimEnd('\r'))));
    }

    private string Json(LogRecord record)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("message", record.Message);
            writer.WriteString("asctime", PythonDateFormat.Format(record.Time, _dateFormat));
            writer.WriteNumber("msecs", record.Time.Millisecond);
            writer.WriteString("name", record.Category);
            writer.WriteString("levelname", record.LevelName);
            writer.WriteNumber("process", ProcessId);
            writer.WriteNumber("created", record.Time.ToUnixTimeMilliseconds() / 1000.0);
            if (record.Exception is not null)
            {
                writer.WriteString("traceback", record.Exception);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public void Dispose() => _sink.Dispose();

    private sealed class OsloLogger(OsloLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider.MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            provider.Write(new LogRecord(provider._time.GetLocalNow(), logLevel, category, formatter(state, exception), exception?.ToString()));
        }
    }
}
