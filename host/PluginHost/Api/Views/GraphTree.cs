using PluginHost.Graph;

namespace PluginHost.Api.Views;

/// <summary>A vertex of a topology tree (graph_type = tree) with its children.</summary>
/// <param name="GraphIndex">Its position in breadth-first order, Vitrage's <c>graph_index</c>.</param>
internal sealed record GraphTree(VertexView Vertex, int GraphIndex, List<GraphTree> Children);
