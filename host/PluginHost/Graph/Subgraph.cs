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

    /// <summary><paramref name="vertices"/> (each once) with every live edge whose two ends are among them.</summary>
    public static Subgraph Of(IEnumerable<VertexView> vertices)
    {
        var nodes = vertices.ToArray();

        // Sorted by key through an array of the keys, which the index map below reuses.
        var keys = new string[nodes.Length];
        var edgeEnds = 0;
        for (var i = 0; i < nodes.Length; i++)
        {
            keys[i] = nodes[i].Key;
            edgeEnds += nodes[i].Edges.Count;
        }

        Array.Sort(keys, nodes, StringComparer.Ordinal);

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
        var links = new List<SubgraphLink>(Math.Min(edgeEnds / 2, 4 * nodes.Length));
        var outgoing = new List<SubgraphLink>();
        for (var source = 0; source < nodes.Length; source++)
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

        return new Subgraph(nodes, links);
    }
}

/// <summary>A link of a <see cref="Subgraph"/>: the indexes of its ends and the edge.</summary>
internal readonly record struct SubgraphLink(int Source, int Target, EdgeView Edge);
