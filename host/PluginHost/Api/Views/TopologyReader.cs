using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Api.Views;

/// <summary>
/// Answers <c>POST /v1/topology/</c> from one graph version, with the semantics of Vitrage's
/// topology API (vitrage/api_handler/apis/topology.py): the whole view, a neighbourhood of a root
/// to a depth, or a tree from a root.
/// </summary>
internal static class TopologyReader
{
    /// <summary>Vitrage's own type for a Kubernetes cluster (its kubernetes datasource).</summary>
    public const string KubernetesClusterType = "kubernetes";

    // Deeper trees are cut here: JSON parsers (Python's, System.Text.Json's) stop near 1,000 levels
    // of nesting, and each tree level is two (the vertex and its children list).
    public const int MaxTreeDepth = 400;

    /// <summary>graph_type = graph.</summary>
    /// <exception cref="ApiException">An unknown root (404), or a depth without a root (400).</exception>
    public static Subgraph ReadGraph(GraphVersion graph, TopologyRequest request, TenantScope scope)
    {
        var visible = Visible(graph, request, scope);
        if (request.Depth is not null)
        {
            var root = request.Root is null
                ? throw ApiException.BadRequest("Graph-type 'graph' requires a 'root' with 'depth'")
                : FindRoot(graph, request.Root);
            return visible(root) ? Subgraph.Of(Neighbourhood(graph, root, request.Depth.Value, visible)) : Subgraph.Empty;
        }

        var selected = graph.Vertices.Values.Where(visible);
        if (scope.AllTenants)
        {
            // As Vitrage: with all_tenants, a root without a depth changes nothing.
            return Subgraph.Of(selected);
        }

        // As Vitrage: a project's view also shows the vertices on the way from the root to its own.
        var pathRoot = request.Root is null ? DefaultRoot(graph) : FindRoot(graph, request.Root);
        return Subgraph.Of(pathRoot is null ? selected : WithPathsFrom(graph, pathRoot, selected.ToList(), scope));
    }

    /// <summary>graph_type = tree: the vertices reachable from the root along edge direction, each under the first parent it is reached from.</summary>
    /// <returns><c>null</c> when the root is not in the view (Vitrage then answers <c>{}</c>).</returns>
    /// <exception cref="ApiException">An unknown root (404), or no root and no single cluster vertex (400).</exception>
    public static GraphTree? ReadTree(GraphVersion graph, TopologyRequest request, TenantScope scope)
    {
        var visible = Visible(graph, request, scope);
        var root = request.Root is null
            ? DefaultRoot(graph) ?? throw ApiException.BadRequest(
                $"Graph-type 'tree' needs a 'root' (a vitrage_id): the graph has no single {KnownEntityTypes.OpenStackCluster} or {KubernetesClusterType} vertex")
            : FindRoot(graph, request.Root);
        if (!visible(root))
        {
            return null;
        }

        var depth = request.Depth is null or 0 || request.Depth > MaxTreeDepth ? MaxTreeDepth : request.Depth.Value;
        var tree = new GraphTree(root, 0, []);
        var seen = new HashSet<string>(StringComparer.Ordinal) { root.Key };
        var queue = new Queue<(GraphTree Node, int Depth)>([(tree, 0)]);
        var next = 1;
        while (queue.TryDequeue(out var item))
        {
            if (item.Depth >= depth)
            {
                continue;
            }

            foreach (var child in item.Node.Vertex.OutgoingLiveEdges
                         .Select(e => graph.Find(e.TargetKey))
                         .OfType<VertexView>()
                         .Where(v => visible(v) && seen.Add(v.Key))
                         .OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                var node = new GraphTree(child, next++, []);
                item.Node.Children.Add(node);
                queue.Enqueue((node, item.Depth + 1));
            }
        }

        return tree;
    }

    private static Func<VertexView, bool> Visible(GraphVersion graph, TopologyRequest request, TenantScope scope)
    {
        var view = request.Query is { } query ? query.Matches : (Func<VertexView, bool>)VertexFilters.TopologyDefault;
        return scope.AllTenants ? view : v => view(v) && scope.CanSee(v, graph);
    }

    private static VertexView FindRoot(GraphVersion graph, string vitrageId) =>
        graph.FindByVitrageId(vitrageId) ?? throw ApiException.NotFound($"Failed to get topology: no vertex has vitrage_id {vitrageId}");

    /// <summary>Vitrage's default root, the <c>openstack.cluster</c> vertex; failing that, the one Kubernetes cluster.</summary>
    private static VertexView? DefaultRoot(GraphVersion graph)
    {
        foreach (var type in new[] { KnownEntityTypes.OpenStackCluster, KubernetesClusterType })
        {
            var clusters = graph.LiveVertices.Where(v => v.Type == type && !v.IsPlaceholder).Take(2).ToList();
            if (clusters.Count == 1)
            {
                return clusters[0];
            }
        }

        return null;
    }

    // Vitrage's graph_query_vertices: breadth-first in both directions through vertices in the view.
    private static List<VertexView> Neighbourhood(GraphVersion graph, VertexView root, int depth, Func<VertexView, bool> visible)
    {
        var selected = new List<VertexView> { root };
        var seen = new HashSet<string>(StringComparer.Ordinal) { root.Key };
        var queue = new Queue<(VertexView Vertex, int Depth)>([(root, 0)]);
        while (queue.TryDequeue(out var item))
        {
            if (depth > 0 && item.Depth >= depth)
            {
                continue;
            }

            foreach (var edge in item.Vertex.Edges)
            {
                if (!edge.IsDeleted && graph.Find(edge.OtherKey(item.Vertex.Key)) is { } other && visible(other) && seen.Add(other.Key))
                {
                    selected.Add(other);
                    queue.Enqueue((other, item.Depth + 1));
                }
            }
        }

        return selected;
    }

    // The selected vertices and those on a shortest directed path from the root to each, skipping
    // paths through another project's vertices.
    private static IEnumerable<VertexView> WithPathsFrom(GraphVersion graph, VertexView root, List<VertexView> selected, TenantScope scope)
    {
        var parents = new Dictionary<string, VertexView?>(StringComparer.Ordinal) { [root.Key] = null };
        var queue = new Queue<VertexView>([root]);
        while (queue.TryDequeue(out var vertex))
        {
            foreach (var edge in vertex.OutgoingLiveEdges)
            {
                if (!parents.ContainsKey(edge.TargetKey) && graph.Find(edge.TargetKey) is { IsDeleted: false } target
                    && !scope.BelongsToAnother(target, graph))
                {
                    parents[target.Key] = vertex;
                    queue.Enqueue(target);
                }
            }
        }

        var result = new Dictionary<string, VertexView>(StringComparer.Ordinal);
        foreach (var vertex in selected)
        {
            result.TryAdd(vertex.Key, vertex);
            if (!parents.ContainsKey(vertex.Key))
            {
                continue;
            }

            for (var step = parents[vertex.Key]; step is not null && result.TryAdd(step.Key, step); step = parents[step.Key])
            {
            }
        }

        return result.Values;
    }
}
