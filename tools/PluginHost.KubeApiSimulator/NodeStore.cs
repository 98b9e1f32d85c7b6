using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace PluginHost.KubeApiSimulator;

/// <summary>
/// The simulated cluster's nodes, in name order like etcd keys. Every change bumps the global
/// resourceVersion, rewrites the node's <c>metadata.resourceVersion</c> and is recorded for
/// watchers. Thread-safe.
/// </summary>
public sealed class NodeStore
{
    private readonly object _gate = new();
    private readonly SortedDictionary<string, StoredNode> _nodes = new(StringComparer.Ordinal);
    private readonly LinkedList<WatchEvent> _history = new();
    private readonly List<Channel<WatchEvent>> _watchers = [];
    private readonly int _historyLimit;
    private long _resourceVersion = 1000;

    // The nodes in name order as an array, rebuilt on the first list after a change: a page
    // starts by binary search, so listing 65,000 nodes in pages is linear, not quadratic.
    private StoredNode[]? _ordered;

    // Watching from a version below this would miss events the history no longer holds.
    private long _historyFloor = 1000;

    internal NodeStore(int historyLimit)
    {
        _historyLimit = historyLimit;
    }

    /// <summary>
    /// While set, changes are stored but never reach a watch (neither open streams nor the history
    /// a later watch replays), as when an API server's watch cache loses events: what a client's
    /// resync must find and correct.
    /// </summary>
    public bool WatchersMissChanges { get; set; }

    /// <summary>The current resourceVersion of the collection.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _nodes.Count;
            }
        }
    }

    /// <summary>Node names in list order.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_gate)
            {
                return [.. _nodes.Keys];
            }
        }
    }

    /// <summary>A copy of a node's JSON, or <c>null</c>.</summary>
    public JsonObject? Get(string name)
    {
        lock (_gate)
        {
            return _nodes.TryGetValue(name, out var node) ? (JsonObject)JsonNode.Parse(node.Json)! : null;
        }
    }

    /// <summary>Adds (or replaces) a node; emits ADDED (or MODIFIED).</summary>
    public void Add(JsonObject node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var name = node["metadata"]?["name"]?.GetValue<string>()
            ?? throw new ArgumentException("a node needs metadata.name", nameof(node));
        lock (_gate)
        {
            Store(name, node, _nodes.ContainsKey(name) ? "MODIFIED" : "ADDED");
        }
    }

    /// <summary>Deletes a node; emits DELETED. Returns <c>false</c> when there was none.</summary>
    public bool Delete(string name)
    {
        lock (_gate)
        {
            if (!_nodes.Remove(name, out var node))
            {
                return false;
            }

            _ordered = null;

            var rv = ++_resourceVersion;
            var json = JsonNode.Parse(node.Json)!.AsObject();
            json["metadata"]!["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Publish(new WatchEvent(rv, "DELETED", JsonSerializer.SerializeToUtf8Bytes(json)));
            return true;
        }
    }

    /// <summary>Changes a node in place; emits MODIFIED.</summary>
    public bool Modify(string name, Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            if (!_nodes.TryGetValue(name, out var node))
            {
                return false;
            }

            var json = JsonNode.Parse(node.Json)!.AsObject();
            change(json);
            Store(name, json, "MODIFIED");
            return true;
        }
    }

    /// <summary>Sets the status of the node's Ready condition (<c>True</c>, <c>False</c>, <c>Unknown</c>).</summary>
    public bool SetReady(string name, string status) => Modify(name, node =>
    {
        foreach (var condition in node["status"]?["conditions"]?.AsArray() ?? [])
        {
            if (condition?["type"]?.GetValue<string>() == "Ready")
            {
                condition["status"] = status;
                condition["reason"] = status == "True" ? "KubeletReady" : "KubeletNotReady";
                condition["lastTransitionTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    });

    /// <summary>
    /// Sets the status of a condition (<c>MemoryPressure</c>, <c>DiskPressure</c>, ... or any other type,
    /// added when the node lacks it), moving its lastTransitionTime when the status changes, as the kubelet does.
    /// </summary>
    public bool SetCondition(string name, string type, string status) => Modify(name, node =>
    {
        var statusObject = node["status"] as JsonObject ?? (JsonObject)(node["status"] = new JsonObject());
        var conditions = statusObject["conditions"] as JsonArray ?? (JsonArray)(statusObject["conditions"] = new JsonArray());
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var condition = conditions.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);
        if (condition is null)
        {
            condition = new JsonObject { ["type"] = type, ["lastTransitionTime"] = now };
            conditions.Add(condition);
        }
        else if (condition["status"]?.GetValue<string>() != status)
        {
            condition["lastTransitionTime"] = now;
        }

        condition["status"] = status;
        condition["lastHeartbeatTime"] = now;
        condition["reason"] = $"Simulated{type}{status}";
        condition["message"] = $"the simulator set {type} to {status}";
    });

    /// <summary>Adds a taint (<paramref name="effect"/> is NoSchedule, PreferNoSchedule or NoExecute) or, with <paramref name="present"/> false, removes every taint of that key.</summary>
    public bool SetTaint(string name, string key, string effect = "NoSchedule", bool present = true) => Modify(name, node =>
    {
        var spec = node["spec"] as JsonObject ?? (JsonObject)(node["spec"] = new JsonObject());
        var taints = spec["taints"] as JsonArray ?? (JsonArray)(spec["taints"] = new JsonArray());
        foreach (var taint in taints.OfType<JsonObject>().Where(t => t["key"]?.GetValue<string>() == key && (!present || t["effect"]?.GetValue<string>() == effect)).ToList())
        {
            taints.Remove(taint);
        }

        if (present)
        {
            taints.Add(new JsonObject
            {
                ["key"] = key,
                ["effect"] = effect,
                ["timeAdded"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            });
        }
    });

    /// <summary>Cordons (<c>kubectl cordon</c>) or uncordons a node.</summary>
    public bool SetUnschedulable(string name, bool unschedulable) => Modify(name, node =>
    {
        var spec = node["spec"] as JsonObject ?? (JsonObject)(node["spec"] = new JsonObject());
        if (unschedulable)
        {
            spec["unschedulable"] = true;
        }
        else
        {
            spec.Remove("unschedulable");
        }
    });

    /// <summary>
    /// A page of nodes after <paramref name="after"/> (exclusive) that match the filter, the list's
    /// resourceVersion and how many matching nodes remain after the page.
    /// </summary>
    internal (List<StoredNode> Page, long ResourceVersion, int Remaining) List(string? after, int limit, Func<StoredNode, bool> filter)
    {
        lock (_gate)
        {
            var ordered = _ordered ??= [.. _nodes.Values];
            var start = 0;
            if (after is not null)
            {
                // The first node whose name sorts after the token's.
                var (low, high) = (0, ordered.Length);
                while (low < high)
                {
                    var middle = (low + high) >>> 1;
                    (low, high) = string.CompareOrdinal(ordered[middle].Name, after) > 0 ? (low, middle) : (middle + 1, high);
                }

                start = low;
            }

            var page = new List<StoredNode>(Math.Min(limit, ordered.Length - start));
            var i = start;
            for (; i < ordered.Length && page.Count < limit; i++)
            {
                if (filter(ordered[i]))
                {
                    page.Add(ordered[i]);
                }
            }

            var remaining = ReferenceEquals(filter, ListSelectors.All) ? ordered.Length - i : ordered.Skip(i).Count(filter);
            return (page, _resourceVersion, remaining);
        }
    }

    internal StoredNode? Find(string name)
    {
        lock (_gate)
        {
            return _nodes.GetValueOrDefault(name);
        }
    }

    /// <summary>
    /// Subscribes to changes after <paramref name="fromVersion"/>. Returns <c>null</c> when that
    /// version is older than the kept history (the caller answers 410 Gone). With no version, or
    /// with <paramref name="initialEvents"/> (WatchList's <c>sendInitialEvents</c>), the current
    /// nodes come first as ADDED events, like a real API server; with <paramref name="initialEvents"/>
    /// an <see cref="WatchEvent.InitialEventsEnd"/> marker at the collection's version follows them.
    /// </summary>
    internal (ChannelReader<WatchEvent> Reader, Action Unsubscribe)? Watch(long? fromVersion, bool initialEvents = false)
    {
        lock (_gate)
        {
            if (fromVersion is { } from && from < _historyFloor && !initialEvents)
            {
                return null;
            }

            var channel = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
            if (fromVersion is null || initialEvents)
            {
                foreach (var node in _nodes.Values)
                {
                    channel.Writer.TryWrite(new WatchEvent(node.ResourceVersion, "ADDED", node.Json));
                }

                if (initialEvents)
                {
                    channel.Writer.TryWrite(new WatchEvent(_resourceVersion, WatchEvent.InitialEventsEnd, []));
                }
            }
            else
            {
                foreach (var e in _history.Where(e => e.ResourceVersion > fromVersion))
                {
                    channel.Writer.TryWrite(e);
                }
            }

            _watchers.Add(channel);
            return (channel.Reader, () =>
            {
                lock (_gate)
                {
                    _watchers.Remove(channel);
                }

                channel.Writer.TryComplete();
            });
        }
    }

    /// <summary>
    /// Forgets the change history, as etcd's compaction does: a watch from any version older than
    /// now gets 410 Gone (running watches go on).
    /// </summary>
    public void Compact()
    {
        lock (_gate)
        {
            _history.Clear();
            _historyFloor = _resourceVersion;
        }
    }

    /// <summary>
    /// An etcd restore from a backup taken at <paramref name="resourceVersion"/>: the collection's
    /// version goes back to it, so lists report it and the next change gets the version after it
    /// again (a node can be re-written at a version a client already saw with other content). The
    /// nodes stay as they are; the history is forgotten, and a watch from an older version gets 410
    /// (one from a version above it, as a client that watched before the restore has, a 504 "Too large resource version").
    /// </summary>
    public void Restore(long resourceVersion)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(resourceVersion);
        lock (_gate)
        {
            _resourceVersion = resourceVersion;
            _history.Clear();
            _historyFloor = resourceVersion;
        }
    }

    internal void AddRange(IEnumerable<JsonObject> nodes)
    {
        lock (_gate)
        {
            foreach (var node in nodes)
            {
                var name = node["metadata"]?["name"]?.GetValue<string>()
                    ?? throw new ArgumentException("a node needs metadata.name", nameof(nodes));
                var rv = ++_resourceVersion;
                node["metadata"]!["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
                _nodes[name] = new StoredNode(name, rv, ReadLabels(node), JsonSerializer.SerializeToUtf8Bytes(node));
            }

            _ordered = null;

            _historyFloor = _resourceVersion;
        }
    }

    /// <summary>
    /// Adds a node as raw bytes, served exactly so (they need not be valid JSON text for a strict
    /// reader, e.g. not UTF-8); its resourceVersion is not rewritten and it has no labels.
    /// </summary>
    internal void AddRaw(string name, byte[] json)
    {
        lock (_gate)
        {
            var stored = new StoredNode(name, ++_resourceVersion, new Dictionary<string, string>(), json);
            _nodes[name] = stored;
            _ordered = null;
            Publish(new WatchEvent(stored.ResourceVersion, "ADDED", json));
        }
    }

    private void Store(string name, JsonObject node, string type)
    {
        var rv = ++_resourceVersion;
        node["metadata"]!["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var stored = new StoredNode(name, rv, ReadLabels(node), JsonSerializer.SerializeToUtf8Bytes(node));
        _nodes[name] = stored;
        _ordered = null;
        Publish(new WatchEvent(rv, type, stored.Json));
    }

    private void Publish(WatchEvent e)
    {
        if (WatchersMissChanges)
        {
            return;
        }

        _history.AddLast(e);
        while (_history.Count > _historyLimit)
        {
            _historyFloor = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }

        foreach (var watcher in _watchers)
        {
            watcher.Writer.TryWrite(e);
        }
    }

    private static Dictionary<string, string> ReadLabels(JsonObject node)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node["metadata"]?["labels"] is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                labels[key] = value?.GetValue<string>() ?? string.Empty;
            }
        }

        return labels;
    }
}
