using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>Which kubeconfig files to read: <c>config_file</c>, else <c>$KUBECONFIG</c>, else <c>~/.kube/config</c>.</summary>
internal static class KubeconfigLocator
{
    /// <summary>
    /// The files, in merge order; empty when there is none (the caller then tries in-cluster).
    /// Of <c>$KUBECONFIG</c>, files that do not exist are skipped and a file named twice is read
    /// once, as kubectl does.
    /// </summary>
    public static IReadOnlyList<string> Locate(string configFile)
    {
        if (configFile.Length > 0)
        {
            return File.Exists(configFile)
                ? [Path.GetFullPath(configFile)]
                : throw new DatasourceConfigurationException(
                    Directory.Exists(configFile)
                        ? $"[kubernetes] config_file {configFile} is a folder, not a kubeconfig file"
                        : $"kubeconfig {configFile} ([kubernetes] config_file) does not exist");
        }

        var variable = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(variable))
        {
            var existing = variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(File.Exists).Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();
            return existing.Count > 0
                ? existing
                : throw new DatasourceConfigurationException($"$KUBECONFIG names {variable}, but no such file exists");
        }

        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        return File.Exists(home) ? [home] : [];
    }

    /// <summary>How messages name the files: one path, or the list as <c>$KUBECONFIG</c> had it.</summary>
    public static string Describe(IReadOnlyList<string> files) =>
        files.Count == 1 ? $"kubeconfig {files[0]}" : $"kubeconfig {string.Join(Path.PathSeparator, files)} ($KUBECONFIG)";
}
