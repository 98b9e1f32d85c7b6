namespace PluginHost.Outputs.Notifications;

/// <summary>
/// The bounded buffer of notifications waiting for the broker. Adding never waits: when the buffer
/// is full, whole snapshots are dropped, oldest first, never a part of one: a snapshot whose start
/// went out but whose end marker is dropped deletes nothing on the consumer, and the next complete
/// snapshot sends the full state again. A notification outside snapshots (a watched change) is its
/// own unit. The sender takes the oldest notification and removes it only once the broker
/// confirmed it. Thread-safe.
/// </summary>
internal sealed class NotificationBuffer(int capacity)
{
    private readonly object _lock = new();
    private readonly LinkedList<Entry> _entries = new();
    private readonly Dictionary<string, long> _openSnapshots = new(StringComparer.Ordinal);
    private readonly HashSet<long> _droppedSnapshots = [];
    private readonly SemaphoreSlim _available = new(0);
    private TaskCompletionSource _room = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextUnit;
    private bool _completed;

    /// <summary>Notifications waiting.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Whether adding now would drop something.</summary>
    public bool IsFull
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count >= capacity;
            }
        }
    }

    /// <summary>Waits until a notification left the buffer, or <paramref name="timeout"/> passed.</summary>
    public async Task WaitForRoomAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        Task room;
        lock (_lock)
        {
            if (_entries.Count < capacity)
            {
                return;
            }

            room = _room.Task;
        }

        await Task.WhenAny(room, Task.Delay(timeout, time, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Snapshots (and single changes) dropped because the buffer was full.</summary>
    public long DroppedUnits { get; private set; }

    /// <summary>Notifications dropped with them.</summary>
    public long DroppedNotifications { get; private set; }

    /// <summary>A snapshot of <paramref name="datasource"/> starts; its notifications form one unit.</summary>
    public bool AddSnapshotStart(string datasource, OutgoingNotification start)
    {
        lock (_lock)
        {
            var unit = ++_nextUnit;
            _openSnapshots[datasource] = unit;
            return AddLocked(unit, start);
        }
    }

    /// <summary>A notification of <paramref name="datasource"/>'s open snapshot, or a change of its own.</summary>
    public bool Add(string datasource, OutgoingNotification notification)
    {
        lock (_lock)
        {
            var unit = _openSnapshots.TryGetValue(datasource, out var open) ? open : ++_nextUnit;
            return AddLocked(unit, notification);
        }
    }

    /// <summary>The end of <paramref name="datasource"/>'s open snapshot (dropped with it when it was dropped).</summary>
    public bool AddSnapshotEnd(string datasource, OutgoingNotification end)
    {
        lock (_lock)
        {
            var unit = _openSnapshots.Remove(datasource, out var open) ? open : ++_nextUnit;
            var added = AddLocked(unit, end);
            _droppedSnapshots.Remove(unit);
            return added;
        }
    }

    /// <summary>A snapshot that failed: it sends no end marker; nothing else changes.</summary>
    public void AbandonSnapshot(string datasource)
    {
        lock (_lock)
        {
            if (_openSnapshots.Remove(datasource, out var open))
            {
                _droppedSnapshots.Remove(open);
            }
        }
    }

    // Returns false when the notification was dropped.
    private bool AddLocked(long unit, OutgoingNotification notification)
    {
        if (_completed || _droppedSnapshots.Contains(unit))
        {
            DroppedNotifications += _completed ? 0 : 1;
            return false;
        }

        while (_entries.Count >= capacity && _entries.First is { } oldest)
        {
            DropUnitLocked(oldest.Value.Unit);
        }

        if (_droppedSnapshots.Contains(unit))
        {
            DroppedNotifications++; // its own snapshot was the oldest: all of it goes
            return false;
        }

        _entries.AddLast(new Entry(unit, notification));
        _available.Release();
        return true;
    }

    private void DropUnitLocked(long unit)
    {
        var node = _entries.First;
        while (node is not null)
        {
            var next = node.Next;
            if (node.Value.Unit == unit)
            {
                _entries.Remove(node);
                DroppedNotifications++;
            }

            node = next;
        }

        DroppedUnits++;
        if (_openSnapshots.ContainsValue(unit))
        {
            _droppedSnapshots.Add(unit); // the rest of it, end marker included, is dropped as it comes
        }
    }

    /// <summary>Waits for a notification and returns the oldest one without removing it; <c>null</c> when completed and empty.</summary>
    public async Task<OutgoingNotification?> PeekAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_lock)
            {
                if (_entries.First is { } first)
                {
                    return first.Value.Notification;
                }

                if (_completed)
                {
                    return null;
                }
            }

            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes <paramref name="notification"/> once the broker confirmed it (unless it was dropped meanwhile).</summary>
    public void Remove(OutgoingNotification notification)
    {
        lock (_lock)
        {
            if (_entries.First is { } first && ReferenceEquals(first.Value.Notification, notification))
            {
                _entries.RemoveFirst();
                Interlocked.Exchange(ref _room, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
        }
    }

    /// <summary>No more notifications; the sender ends once the buffer is empty.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
        }

        _available.Release();
    }

    private readonly record struct Entry(long Unit, OutgoingNotification Notification);
}
