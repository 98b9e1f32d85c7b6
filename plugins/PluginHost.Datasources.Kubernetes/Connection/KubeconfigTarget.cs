using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>
/// One context of a kubeconfig, resolved to its cluster and user: what a connection is built
/// from. <see cref="Select"/> takes any context by name, so a caller can connect to several.
/// </summary>
internal sealed record KubeconfigTarget(string ContextName, KubeCluster Cluster, KubeUser? User, string UserName, string Source, Uri Server)
{
    /// <summary>Things to warn about once (kubectl accepts them silently).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The server URL without any user-info, safe to log.</summary>
    public string SafeServer => WithoutUserInfo(Server);

    /// <summary><paramref name="server"/> without user-info and trailing slash: what messages may show.</summary>
    public static string WithoutUserInfo(Uri server) =>
        new UriBuilder(server) { UserName = string.Empty, Password = string.Empty }.Uri.AbsoluteUri.TrimEnd('/');

    /// <param name="kubeconfig">The read (and merged) kubeconfig.</param>
    /// <param name="context">The context to use; empty: the kubeconfig's current-context.</param>
    /// <param name="source">How messages name the kubeconfig (<see cref="KubeconfigLocator.Describe"/>).</param>
    public static KubeconfigTarget Select(Kubeconfig kubeconfig, string context, string source)
    {
        if (kubeconfig.IsEmpty)
        {
            throw new DatasourceConfigurationException($"{source} has no clusters or contexts; is it a kubeconfig?");
        }

        var known = kubeconfig.Contexts.Count == 0 ? "none" : string.Join(", ", kubeconfig.Contexts.Select(c => c.Name));
        var name = context.Length > 0 ? context : kubeconfig.CurrentContext;
        if (string.IsNullOrEmpty(name))
        {
            throw new DatasourceConfigurationException($"{source} has no current-context; set [kubernetes] context to one of: {known}");
        }

        var selected = kubeconfig.Contexts.FirstOrDefault(c => c.Name == name)
            ?? throw new DatasourceConfigurationException($"{source} has no context '{name}' (contexts: {known})");
        var cluster = kubeconfig.Clusters.FirstOrDefault(c => c.Name == selected.Cluster)
            ?? throw new DatasourceConfigurationException(
                $"{source}: context '{name}' names cluster '{selected.Cluster}', which is not in the clusters list");
        var server = ParseServer(cluster);
        var warnings = new List<string>();
        KubeUser? user = null;
        if (selected.User is { } userName)
        {
            user = kubeconfig.Users.FirstOrDefault(u => u.Name == userName);
            if (user is null)
            {
                warnings.Add($"{source}: context '{name}' names user '{userName}', which is not in the users list; connecting without credentials, as kubectl does");
            }
        }

        return new KubeconfigTarget(name, cluster, user, selected.User ?? string.Empty, source, server) { Warnings = warnings };
    }

    private static Uri ParseServer(KubeCluster cluster)
    {
        var where = $"kubeconfig {cluster.Origin.File}: cluster '{cluster.Name}'";
        if (string.IsNullOrWhiteSpace(cluster.Server))
        {
            throw new DatasourceConfigurationException($"{where} has no server (kubectl: no server found for cluster \"{cluster.Name}\")");
        }

        if (!Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http") || server.Host.Length == 0)
        {
            throw new DatasourceConfigurationException($"{where}: server is not an http:// or https:// URL"); // it may hold a password: not shown
        }

        return server;
    }
}
