using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace PluginHost.Graph;

/// <summary>
/// A vertex's edges, keyed by (source, target, label): an array searched in order while the vertex
/// has few, a dictionary once it has more than <see cref="ListedAtMost"/> (a cluster holds one edge
/// per node). Enumerated in the order the edges were added, like the dictionary it replaces.
/// </summary>
/// <remarks>
/// Why not a dictionary for every vertex: a node has two edges and a VM three, and a dictionary is
/// three objects more than an array (its buckets, its entries, its value collection) and ~200 bytes
/// more, for each of the 130,000 vertices of a 65,000-node graph, all of which a cold build copies
/// through the collector's young generations. A key is found in the array by comparing the edges'
/// own ends and label, which are the very strings the key holds (no hashing).
/// </remarks>
internal sealed class VertexEdges : IEnumerable<GraphEdge>
{
    /// <summary>The most edges kept in the array; one more moves them to a dictionary, for good.</summary>
    internal const int ListedAtMost = 8;

    private GraphEdge[] _listed = [];
    private int _count;
    private Dictionary<GraphEdgeKey, GraphEdge>? _indexed;

    // Changed by every write, so an enumeration that sees the edges change fails.
    private int _version;

    public int Count => _indexed?.Count ?? _count;

    public bool TryGetValue(GraphEdgeKey key, [MaybeNullWhen(false)] out GraphEdge edge)
    {
        if (_indexed is not null)
        {
            return _indexed.TryGetValue(key, out edge);
        }

        var at = IndexOf(key);
        edge = at >= 0 ? _listed[at] : null;
        return edge is not null;
    }

    /// <summary>Adds the edge, or replaces the one under the same key where it stands.</summary>
    public GraphEdge this[GraphEdgeKey key]
    {
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _version++;
            if (_indexed is not null)
            {
                _indexed[key] = value;
                return;
            }

            var at = IndexOf(key);
            if (at >= 0)
            {
                _listed[at] = value;
            }
            else if (_count < ListedAtMost)
            {
                if (_count == _listed.Length)
                {
                    Array.Resize(ref _listed, _count == 0 ? 2 : Math.Min(_count * 2, ListedAtMost));
                }

                _listed[_count++] = value;
            }
            else
            {
                _indexed = new Dictionary<GraphEdgeKey, GraphEdge>(_count * 2);
                foreach (var edge in _listed.AsSpan(0, _count))
                {
                    _indexed.Add(edge.Key, edge);
                }

                _indexed[key] = value;
                _listed = [];
                _count = 0;
            }
        }
    }

    public bool Remove(GraphEdgeKey key)
    {
        if (_indexed is not null)
        {
            if (_indexed.Remove(key))
            {
                _version++;
                return true;
            }

            return false;
        }

        var at = IndexOf(key);
        if (at < 0)
        {
            return false;
        }

        _version++;
        _count--;
        Array.Copy(_listed, at + 1, _listed, at, _count - at); // the others keep their order
        _listed[_count] = null!;
        return true;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<GraphEdge> IEnumerable<GraphEdge>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(GraphEdgeKey key)
    {
        for (var i = 0; i < _count; i++)
        {
            var edge = _listed[i];
            if (string.Equals(edge.RelationshipType, key.RelationshipType, StringComparison.Ordinal)
                && string.Equals(edge.Source.Key, key.SourceKey, StringComparison.Ordinal)
                && string.Equals(edge.Target.Key, key.TargetKey, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Enumerates without an allocation (a <c>foreach</c> over the edges).</summary>
    public struct Enumerator : IEnumerator<GraphEdge>
    {
        private readonly VertexEdges _edges;
        private readonly int _version;
        private Dictionary<GraphEdgeKey, GraphEdge>.ValueCollection.Enumerator _indexed;
        private readonly bool _isIndexed;
        private int _next;

        internal Enumerator(VertexEdges edges)
        {
            _edges = edges;
            _version = edges._version;
            _isIndexed = edges._indexed is not null;
            _indexed = _isIndexed ? edges._indexed!.Values.GetEnumerator() : default;
            _next = 0;
            Current = null!;
        }

        public GraphEdge Current { get; private set; }

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            // Any change fails, a removal too (which a dictionary's own enumeration would let pass):
            // the same rule whether the edges are listed or indexed.
            if (_version != _edges._version)
            {
                throw new InvalidOperationException("the vertex's edges changed while they were enumerated");
            }

            if (_isIndexed)
            {
                var moved = _indexed.MoveNext();
                Current = moved ? _indexed.Current : null!;
                return moved;
            }

            if (_next < _edges._count)
            {
                Current = _edges._listed[_next++];
                return true;
            }

            Current = null!;
            return false;
        }

        public void Reset() => throw new NotSupportedException();

        public readonly void Dispose()
        {
        }
    }
}
