using PluginHost.Api.Query;

namespace PluginHost.Api.Views;

/// <summary>What <c>POST /v1/topology/</c> asks for, validated.</summary>
/// <param name="Tree">graph_type = tree.</param>
/// <param name="Depth">Hops from the root; 0 or null: no limit (as in Vitrage).</param>
/// <param name="Query">Replaces the default view when given (so it can show placeholders).</param>
/// <param name="Root">A vitrage_id.</param>
internal sealed record TopologyRequest(bool Tree, int? Depth, VertexPredicate? Query, string? Root);
