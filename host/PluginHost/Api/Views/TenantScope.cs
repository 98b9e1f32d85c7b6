using PluginHost.Api.Auth;
using PluginHost.Api.Query;
using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Api.Views;

/// <summary>
/// Which vertices a request may see, by their <c>project_id</c>. As in Vitrage: with
/// <c>all_tenants</c> (admin role only) everything; otherwise a project's own vertices. The
/// deviation: an admin also sees, without <c>all_tenants</c>, what belongs to no project —
/// infrastructure such as Kubernetes clusters and nodes — which Vitrage's rule (tied to a user
/// named "admin") hides from <c>vitrage topology show</c>. A request without a project sees no
/// project's vertices. An alarm without a project belongs to the resource it is on.
/// </summary>
internal sealed class TenantScope
{
    public const string ProjectId = "project_id";

    private readonly string? _project;
    private readonly bool _includeUnowned;

    private TenantScope(bool all, string? project, bool includeUnowned)
    {
        AllTenants = all;
        _project = project;
        _includeUnowned = includeUnowned;
    }

    public static TenantScope Everything { get; } = new(true, null, true);

    public bool AllTenants { get; }

    /// <summary>The request's project, whose vertices it sees (without <see cref="AllTenants"/>).</summary>
    public string? Project => _project;

    /// <summary>Whether it also sees what belongs to no project (an admin).</summary>
    public bool IncludesUnowned => _includeUnowned;

    /// <exception cref="ApiException">403: <paramref name="allTenants"/> without the admin role.</exception>
    public static TenantScope For(RequestIdentity identity, bool allTenants)
    {
        if (allTenants)
        {
            return identity.IsAdmin ? Everything : throw ApiException.Forbidden("Authorization Failed: all_tenants needs the admin role");
        }

        return new TenantScope(false, identity.ProjectId, identity.IsAdmin);
    }

    /// <summary>What <c>resource show</c> and <c>alarm show</c> allow: an admin sees every vertex.</summary>
    public static TenantScope ForShow(RequestIdentity identity) => identity.IsAdmin ? Everything : For(identity, allTenants: false);

    public bool CanSee(VertexView vertex, GraphVersion graph)
    {
        if (AllTenants)
        {
            return true;
        }

        var project = ProjectOf(vertex, graph);
        return project is null ? _includeUnowned : _project is not null && string.Equals(project, _project, StringComparison.Ordinal);
    }

    /// <summary>Whether the vertex belongs to a project other than the request's (never with all_tenants).</summary>
    public bool BelongsToAnother(VertexView vertex, GraphVersion graph) =>
        !AllTenants && ProjectOf(vertex, graph) is { } project && !string.Equals(project, _project, StringComparison.Ordinal);

    private static string? ProjectOf(VertexView vertex, GraphVersion graph)
    {
        var project = VertexPropertyReader.GetString(vertex, ProjectId);
        if (project is not null || vertex.Category != EntityCategories.Alarm)
        {
            return project;
        }

        return AlarmReader.ResourceOf(vertex, graph) is { } resource ? VertexPropertyReader.GetString(resource, ProjectId) : null;
    }
}
