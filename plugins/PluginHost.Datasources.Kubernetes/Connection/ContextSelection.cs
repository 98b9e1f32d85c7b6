using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>
/// <c>[kubernetes] contexts</c>: which kubeconfig contexts run as datasources of their own, with
/// the rules that keep their graphs apart. Each driver reads one cluster, and no cluster is read
/// twice: two drivers on one cluster would report the same node vertices under two datasource
/// names, and each one's complete snapshot would fight the other's. So <c>cluster_name</c>, which
/// names one vertex, only goes with one context; <c>context</c> and <c>contexts</c> exclude each
/// other; two listed contexts on one cluster (same kubeconfig cluster or same server) are refused,
/// and <c>*</c> keeps the first context of each cluster.
/// </summary>
internal static class ContextSelection
{
    /// <summary>Every context of the kubeconfig.</summary>
    public const string All = "*";

    /// <summary>
    /// The contexts to run, in kubeconfig (or listed) order; empty when <c>contexts</c> is, which
    /// means one driver for <c>context</c>. Reads the kubeconfig; unusable settings throw
    /// <see cref="DatasourceConfigurationException"/>.
    /// </summary>
    public static Selection Select(KubernetesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Contexts.Count == 0)
        {
            return new Selection([], []);
        }

        var all = options.Contexts.Contains(All, StringComparer.Ordinal);
        if (all && options.Contexts.Count > 1)
        {
            throw new DatasourceConfigurationException("contexts = * already reads every context; give either * or a list of names");
        }

        if (options.Context.Length > 0)
        {
            throw new DatasourceConfigurationException(
                "context and contexts are both set; with contexts, leave context empty (every listed context is read)");
        }

        if (options.ClusterName.Length > 0 && (all || options.Contexts.Count > 1))
        {
            throw new DatasourceConfigurationException(
                "cluster_name names one cluster vertex, but contexts reads several clusters; leave cluster_name empty, and each cluster vertex is named after its context's cluster");
        }

        var files = KubeconfigLocator.Locate(options.ConfigFile);
        if (files.Count == 0)
        {
            throw new DatasourceConfigurationException(
                "contexts needs a kubeconfig: config_file is empty, $KUBECONFIG is not set and ~/.kube/config does not exist (the pod's service account has no contexts)");
        }

        var source = KubeconfigLocator.Describe(files);
        var kubeconfig = KubeconfigLoader.Load(files);
        var names = all ? kubeconfig.Contexts.Select(c => c.Name).ToList() : options.Contexts.Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            throw new DatasourceConfigurationException($"{source} has no contexts (contexts = *)");
        }

        var kept = new List<KubeconfigTarget>();
        var skipped = new List<SkippedContext>();
        foreach (var name in names)
        {
            var target = KubeconfigTarget.Select(kubeconfig, name, source);
            var same = kept.FirstOrDefault(k => k.Cluster.Name == target.Cluster.Name || SameServer(k.Server, target.Server));
            if (same is null)
            {
                kept.Add(target);
            }
            else if (all)
            {
                skipped.Add(new SkippedContext(name, same.ContextName));
            }
            else
            {
                throw new DatasourceConfigurationException(
                    $"contexts '{same.ContextName}' and '{name}' both read cluster '{same.Cluster.Name}' ({same.SafeServer}) in {source}; list one of them (the same nodes cannot belong to two datasources)");
            }
        }

        return new Selection(kept.Select(t => t.ContextName).ToList(), skipped);
    }

    private static bool SameServer(Uri a, Uri b) =>
        string.Equals(a.GetLeftPart(UriPartial.Path).TrimEnd('/'), b.GetLeftPart(UriPartial.Path).TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    /// <param name="Contexts">The contexts that each get a driver.</param>
    /// <param name="Skipped">With <c>*</c>: contexts left out because an earlier one reads their cluster.</param>
    public sealed record Selection(IReadOnlyList<string> Contexts, IReadOnlyList<SkippedContext> Skipped);

    /// <param name="Context">The context left out.</param>
    /// <param name="ReadAs">The context that reads its cluster.</param>
    public sealed record SkippedContext(string Context, string ReadAs);
}
