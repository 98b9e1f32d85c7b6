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
        Array.Sort(nodes, static (a, b) => string.CompareOrdinal(a.Key, b.Key));

        // Link ends are found by binary search in the sorted nodes rather than through a key →
        // index dictionary: at 5,000 nodes that dictionary is a large-object-heap array per request.
        var links = new List<SubgraphLink>(nodes.Length);
        var outgoing = new List<EdgeView>();
        for (var source = 0; source < nodes.Length; source++)
        {
            outgoing.Clear();
            outgoing.AddRange(nodes[source].OutgoingLiveEdges);
            outgoing.Sort(static (a, b) => string.CompareOrdinal(a.TargetKey, b.TargetKey) is var byTarget and not 0
                ? byTarget
                : string.CompareOrdinal(a.RelationshipType, b.RelationshipType));
            foreach (var edge in outgoing)
            {
                var target = IndexOf(nodes, edge.TargetKey);
                if (target >= 0)
                {
                    links.Add(new SubgraphLink(source, target, edge));
                }
            }
        }

        return new Subgraph(nodes, links);
    }

    private static int IndexOf(VertexView[] sorted, string key)
    {
        var (low, high) = (0, sorted.Length - 1);
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var order = string.CompareOrdinal(sorted[middle].Key, key);
            if (order == 0)
            {
                return middle;
            }

            (low, high) = order < 0 ? (middle + 1, high) : (low, middle - 1);
        }

        return -1;
    }
}

/// <summary>A link of a <see cref="Subgraph"/>: the indexes of its ends and the edge.</summary>
internal readonly record struct SubgraphLink(int Source, int Target, EdgeView Edge);
