namespace PluginHost.Graph;

/// <summary>
/// Some vertices of one <see cref="GraphVersion"/> and the live edges among them, in node-link
/// order: vertices by key (so a vertex keeps its index from one request to the next while the
/// graph does not change), each link by the indexes of its ends.
/// </summary>
internal sealed class Subgraph
{
    private Subgraph(IReadOnlyList<VertexView> nodes, IReadOnlyList<SubgraphLink> links)
    {
        Nodes = nodes;
        Links = links;
    }

    public static Subgraph Empty { get; } = new([], []);

    public IReadOnlyList<VertexView> Nodes { get; }

    public IReadOnlyList<SubgraphLink> Links { get; }

    /// <summary>Every live vertex and edge (placeholders included): the graph file's content.</summary>
    public static Subgraph AllLive(GraphVersion graph) => Of(graph.LiveVertices);

    /// <summary>
    /// From this many vertices a selection sorts and links on the thread pool in pieces: a cold
    /// 65,000-node `snapshot` (133,000 vertices) spent 0.4-0.5 s selecting its graph on one core.
    /// Below it (the API's requests: a 5,000-node cluster's topology has 10,000 vertices) a request
    /// keeps to its own thread, and concurrent clients use the other core.
    /// </summary>
    public const int ParallelFrom = 16_384;

    // Vertices per piece of the links made in parallel.
    private const int LinkPiece = 4_096;

    /// <summary><paramref name="vertices"/> (each once) with every live edge whose two ends are among them.</summary>
    public static Subgraph Of(IEnumerable<VertexView> vertices)
    {
        var nodes = vertices.ToArray();
        var parallel = nodes.Length >= ParallelFrom;

        // Sorted by key through an array of the keys, which the index map below reuses.
        var keys = new string[nodes.Length];
        var edgeEnds = 0;
        for (var i = 0; i < nodes.Length; i++)
        {
            keys[i] = nodes[i].Key;
            edgeEnds += nodes[i].Edges.Count;
        }

        if (parallel)
        {
            (keys, nodes) = SortInHalves(keys, nodes);
        }
        else
        {
            Array.Sort(keys, nodes, StringComparer.Ordinal);
        }

        // Each edge's end is found once, through a key → index map, then a vertex's links are
        // ordered by index (the same order as by key) and label, comparing integers. A binary search
        // per edge end compared 17 keys: the links of a 65,000-node graph (198,000) took 250–340 ms
        // that way, 140–180 ms now. The map is a large-object-heap array from ~3,500 vertices on;
        // next to the tens of MB of JSON such a graph is written as, that is small.
        var indexes = new Dictionary<string, int>(nodes.Length, StringComparer.Ordinal);
        for (var i = 0; i < keys.Length; i++)
        {
            indexes[keys[i]] = i;
        }

        // Both ends list an edge: at most half the ends are links. A few vertices picked out of a
        // large graph (a cluster and its 65,000 edges) have fewer, so the guess is also bounded by them.
        var capacity = Math.Min(edgeEnds / 2, 4 * nodes.Length);
        if (!parallel)
        {
            return new Subgraph(nodes, LinksFrom(nodes, indexes, 0, nodes.Length, capacity));
        }

        // Pieces of consecutive sources, joined in order: the same list as one pass makes.
        var pieces = new List<SubgraphLink>[(nodes.Length + LinkPiece - 1) / LinkPiece];
        Parallel.For(0, pieces.Length, p =>
        {
            var from = p * LinkPiece;
            pieces[p] = LinksFrom(nodes, indexes, from, Math.Min(from + LinkPiece, nodes.Length), 0);
        });
        var links = new List<SubgraphLink>(pieces.Sum(piece => piece.Count));
        foreach (var piece in pieces)
        {
            links.AddRange(piece);
        }

        return new Subgraph(nodes, links);
    }

    // The links that start at nodes[from..to), by source, then target index, then label.
    private static List<SubgraphLink> LinksFrom(VertexView[] nodes, Dictionary<string, int> indexes, int from, int to, int capacity)
    {
        var links = new List<SubgraphLink>(capacity);
        var outgoing = new List<SubgraphLink>();
        for (var source = from; source < to; source++)
        {
            outgoing.Clear();
            var vertex = nodes[source];
            for (var e = 0; e < vertex.Edges.Count; e++)
            {
                var edge = vertex.Edges[e];
                if (vertex.StartsLive(edge) && indexes.TryGetValue(edge.TargetKey, out var target))
                {
                    outgoing.Add(new SubgraphLink(source, target, edge));
                }
            }

            outgoing.Sort(static (a, b) => a.Target != b.Target
                ? a.Target.CompareTo(b.Target)
                : string.CompareOrdinal(a.Edge.RelationshipType, b.Edge.RelationshipType));
            links.AddRange(outgoing);
        }

        return links;
    }

    // Two halves sorted side by side, then merged (keys are unique: no order among equals to keep).
    private static (string[] Keys, VertexView[] Nodes) SortInHalves(string[] keys, VertexView[] nodes)
    {
        var half = keys.Length / 2;
        Parallel.Invoke(
            () => Array.Sort(keys, nodes, 0, half, StringComparer.Ordinal),
            () => Array.Sort(keys, nodes, half, keys.Length - half, StringComparer.Ordinal));

        var sortedKeys = new string[keys.Length];
        var sortedNodes = new VertexView[nodes.Length];
        int a = 0, b = half, o = 0;
        while (a < half && b < keys.Length)
        {
            var fromFirst = string.CompareOrdinal(keys[a], keys[b]) < 0;
            var i = fromFirst ? a++ : b++;
            sortedKeys[o] = keys[i];
            sortedNodes[o++] = nodes[i];
        }

        for (var rest = a < half ? a : b; o < keys.Length; rest++)
        {
            sortedKeys[o] = keys[rest];
            sortedNodes[o++] = nodes[rest];
        }

        return (sortedKeys, sortedNodes);
    }
}

/// <summary>A link of a <see cref="Subgraph"/>: the indexes of its ends and the edge.</summary>
internal readonly record struct SubgraphLink(int Source, int Target, EdgeView Edge);
