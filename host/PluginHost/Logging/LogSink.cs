using System.Net.Sockets;
using System.Text;

namespace PluginHost.Logging;

/// <summary>Where formatted log records go. Thread-safe; a sink never throws into the caller.</summary>
internal abstract class LogSink : IDisposable
{
    public abstract void Write(LogRecord record, string line);

    /// <summary>Opens the log again (logrotate moved it: SIGHUP).</summary>
    public virtual void Reopen()
    {
    }

    public virtual void Dispose()
    {
    }
}

/// <summary>Standard error: standard output is for machine-readable output only.</summary>
internal sealed class StderrSink : LogSink
{
    private readonly object _lock = new();

    public override void Write(LogRecord record, string line)
    {
        lock (_lock)
        {
            Console.Error.WriteLine(line);
        }
    }
}

/// <summary>
/// A file, appended to and opened again on <see cref="Reopen"/> (SIGHUP), so logrotate's move-and-HUP
/// works. When the file cannot be written, records go to standard error rather than nowhere.
/// </summary>
internal sealed class FileSink(string path) : LogSink
{
    private readonly object _lock = new();
    private StreamWriter? _writer;
    private bool _failed;

    // An open that did not return in time (a named pipe without a reader): later records go to
    // standard error at once rather than wait for it again, and the file is used once it opens.
    private Task<FileStream>? _pendingOpen;

    public override void Write(LogRecord record, string line)
    {
        lock (_lock)
        {
            try
            {
                _writer ??= Open();
                _writer.WriteLine(line);
                _writer.Flush();
                _failed = false;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (!_failed)
                {
                    Console.Error.WriteLine($"cannot write the log file {path}: {e.Message}; logging to standard error until it works again");
                    _failed = true;
                }

                CloseLocked();
                Console.Error.WriteLine(line);
            }
        }
    }

    // Opening a file takes microseconds, but a named pipe without a reader blocks the open for ever,
    // and with it every thread that logs (a hostile test, s46: run never started and ignored SIGTERM).
    // A missing file or one with data opens at once; anything else opens on a pool thread waited
    // for at most BoundedFileReader.OpenTimeout, once.
    private StreamWriter Open()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var stream = _pendingOpen is { } pending ? Take(pending, TimeSpan.Zero)
            : !Path.Exists(path) || Configuration.BoundedFileReader.IsFileWithData(path) ? OpenNow()
            : Take(_pendingOpen = Task.Run(OpenNow), Configuration.BoundedFileReader.OpenTimeout);
        return new StreamWriter(stream, new UTF8Encoding(false));
    }

    // A failed open is not waited for again: the next record tries a new one.
    private FileStream Take(Task<FileStream> open, TimeSpan wait)
    {
        _pendingOpen = null;
        if (!Configuration.BoundedFileReader.Opened(open, wait))
        {
            _pendingOpen = open;
            throw new IOException($"it did not open within {Configuration.BoundedFileReader.OpenTimeout.TotalSeconds:0} s (a named pipe without a reader?)");
        }

        return open.Result;
    }

    private FileStream OpenNow()
    {
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        }

        return new FileStream(path, options);
    }

    public override void Reopen()
    {
        lock (_lock)
        {
            CloseLocked();
        }
    }

    private void CloseLocked()
    {
        try
        {
            _writer?.Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // what it held could not be written; it was reported
        }

        _writer = null;
    }

    public override void Dispose() => Reopen();
}

/// <summary>
/// The systemd journal's native protocol (a datagram of <c>FIELD=value</c> lines on its socket), so
/// records keep their priority and logger name as fields. Without a journal, standard error.
/// </summary>
internal sealed class JournalSink : LogSink
{
    public const string DefaultSocket = "/run/systemd/journal/socket";

    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endpoint;
    private readonly StderrSink _fallback = new();

    public JournalSink(string socketPath)
    {
        if (File.Exists(socketPath) || Directory.Exists(Path.GetDirectoryName(socketPath)))
        {
            _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            _endpoint = new UnixDomainSocketEndPoint(socketPath);
        }
    }

    public override void Write(LogRecord record, string line)
    {
        if (_socket is null || _endpoint is null)
        {
            _fallback.Write(record, line);
            return;
        }

        using var datagram = new MemoryStream();
        Field(datagram, "MESSAGE", record.Exception is null ? record.Message : record.Message + "\n" + record.Exception);
        Field(datagram, "PRIORITY", record.SyslogPriority.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(datagram, "SYSLOG_IDENTIFIER", "pluginhost");
        Field(datagram, "LOGGER_NAME", record.Category);
        try
        {
            _socket.SendTo(datagram.ToArray(), _endpoint);
        }
        catch (SocketException)
        {
            _fallback.Write(record, line);
        }
    }

    // Single-line values as FIELD=value; others in the binary form: FIELD\n, 64-bit LE length, value, \n.
    private static void Field(Stream stream, string name, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        stream.Write(Encoding.ASCII.GetBytes(name));
        if (value.Contains('\n', StringComparison.Ordinal))
        {
            stream.WriteByte((byte)'\n');
            stream.Write(BitConverter.GetBytes((ulong)bytes.Length));
        }
        else
        {
            stream.WriteByte((byte)'=');
        }

        stream.Write(bytes);
        stream.WriteByte((byte)'\n');
    }

    public override void Dispose() => _socket?.Dispose();
}
