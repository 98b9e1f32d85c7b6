using PluginHost.Api.Query;
using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Api.Views;

/// <summary>Vitrage's default views (vitrage/api_handler/apis/base.py), as predicates on vertices.</summary>
internal static class VertexFilters
{
    /// <summary>TOPOLOGY_AND_ALARMS_QUERY: live, real resources and alarms.</summary>
    public static bool TopologyDefault(VertexView vertex) =>
        !vertex.IsDeleted && !vertex.IsPlaceholder && vertex.Category is EntityCategories.Resource or EntityCategories.Alarm;

    /// <summary>
    /// RESOURCES_ALL_QUERY: live, real resources. A resource query is added to it, never replaces it.
    /// One rule with the version's <see cref="ResourceIndex"/>, which holds exactly these.
    /// </summary>
    public static bool Resource(VertexView vertex) => ResourceIndex.Holds(vertex);

    /// <summary>ALARMS_ALL_QUERY: live alarms.</summary>
    public static bool Alarm(VertexView vertex) => !vertex.IsDeleted && vertex.Category == EntityCategories.Alarm;

    /// <summary>A view, narrowed by a query when there is one.</summary>
    public static Func<VertexView, bool> And(Func<VertexView, bool> view, VertexPredicate? query) =>
        query is null ? view : vertex => view(vertex) && query.Matches(vertex);
}
