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
        var nodes = vertices.ToList();
        nodes.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var index = new Dictionary<string, int>(nodes.Count, StringComparer.Ordinal);
        foreach (var vertex in nodes)
        {
            index.Add(vertex.Key, index.Count);
        }

        var links = new List<SubgraphLink>();
        var outgoing = new List<EdgeView>();
        for (var source = 0; source < nodes.Count; source++)
        {
            outgoing.Clear();
            outgoing.AddRange(nodes[source].OutgoingLiveEdges);
            outgoing.Sort(static (a, b) => string.CompareOrdinal(a.TargetKey, b.TargetKey) is var byTarget and not 0
                ? byTarget
                : string.CompareOrdinal(a.RelationshipType, b.RelationshipType));
            foreach (var edge in outgoing)
            {
                if (index.TryGetValue(edge.TargetKey, out var target))
                {
                    links.Add(new SubgraphLink(source, target, edge));
                }
            }
        }

        return new Subgraph(nodes, links);
    }
}

/// <summary>A link of a <see cref="Subgraph"/>: the indexes of its ends and the edge.</summary>
internal readonly record struct SubgraphLink(int Source, int Target, EdgeView Edge);
