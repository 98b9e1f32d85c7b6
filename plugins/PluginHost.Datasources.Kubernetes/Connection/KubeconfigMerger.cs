namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>
/// Merges the files of <c>$KUBECONFIG</c> with kubectl's rules (client-go's loading rules): a
/// cluster, user or context name is taken from the first file that has it, the current-context
/// from the first file that sets one. Relative paths were already resolved against the file that
/// holds them when it was read, so an entry keeps its meaning wherever it ends up.
/// </summary>
/// <remarks>
/// KubernetesClient's own merge (<c>LoadKubeConfig(FileInfo[])</c>) differs: it resolves every
/// relative path against the first file, refuses files whose <c>kind</c> differ (kubectl accepts a
/// file without <c>kind</c>), takes an empty current-context as set, and fails when the first
/// file has no clusters.
/// </remarks>
internal static class KubeconfigMerger
{
    public static Kubeconfig Merge(IReadOnlyList<Kubeconfig> files) => files.Count == 1
        ? files[0]
        : new Kubeconfig(
            FirstByName(files.SelectMany(f => f.Clusters), c => c.Name),
            FirstByName(files.SelectMany(f => f.Users), u => u.Name),
            FirstByName(files.SelectMany(f => f.Contexts), c => c.Name),
            files.Select(f => f.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c)));

    private static List<T> FirstByName<T>(IEnumerable<T> entries, Func<T, string> name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return entries.Where(e => seen.Add(name(e))).ToList();
    }
}
