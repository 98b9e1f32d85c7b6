using Microsoft.Extensions.Logging;

namespace PluginHost.Graph;

/// <summary>
/// The info line for changes made outside a snapshot (a watch's updates): at most one line per
/// datasource every <see cref="Interval"/>, with what changed since the last one counted by kind
/// (<see cref="ChangeSummary"/>). A change after a quiet second is logged at once; changes within the
/// second after a line wait for one timer, so a steady stream of changes is one line a second rather
/// than one per change (each line costs a format, a write and a wake-up of the console's thread).
/// </summary>
internal sealed class WatchedChangeLog : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ChangeSummary> _pending = new(StringComparer.Ordinal);
    private readonly ITimer _timer;
    private long _lastLine = long.MinValue;
    private bool _armed;
    private bool _disposed;

    public WatchedChangeLog(ILogger logger, TimeProvider time)
    {
        _logger = logger;
        _time = time;
        _timer = time.CreateTimer(_ => LogPending(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Called on the processor's thread with what one step changed, by datasource.</summary>
    public void Add(IReadOnlyDictionary<string, List<GraphChange>> changes)
    {
        lock (_lock)
        {
            foreach (var (datasource, list) in changes)
            {
                var summary = _pending.TryGetValue(datasource, out var existing) ? existing : _pending[datasource] = new ChangeSummary();
                list.ForEach(summary.Add);
            }

            var sinceLine = _lastLine == long.MinValue ? Interval : _time.GetElapsedTime(_lastLine);
            if (sinceLine >= Interval)
            {
                WriteLines();
            }
            else if (!_armed && !_disposed)
            {
                _armed = true;
                _timer.Change(Interval - sinceLine, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void LogPending()
    {
        lock (_lock)
        {
            _armed = false;
            WriteLines();
        }
    }

    private void WriteLines()
    {
        foreach (var (datasource, summary) in _pending)
        {
            if (!summary.IsEmpty)
            {
                _logger.LogInformation("{Datasource}: {Changes}", datasource, summary);
            }
        }

        _pending.Clear();
        _lastLine = _time.GetTimestamp();
    }

    /// <summary>Logs what is still pending (the host is stopping) and stops the timer.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _timer.Dispose();
            if (_pending.Count > 0)
            {
                WriteLines();
            }
        }
    }
}
