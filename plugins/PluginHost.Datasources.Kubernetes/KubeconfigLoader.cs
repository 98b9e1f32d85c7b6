using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// Finds the kubeconfig (<c>config_file</c> → <c>$KUBECONFIG</c> → <c>~/.kube/config</c> →
/// in-cluster service account), picks the context and builds a client with every auth form
/// KubernetesClient supports. Every failure names the file and what is wrong.
/// </summary>
internal static class KubeconfigLoader
{
    public static KubernetesConnection Connect(KubernetesOptions options)
    {
        var files = Locate(options.ConfigFile);
        if (files.Count == 0)
        {
            return KubernetesClientConfiguration.IsInCluster()
                ? ConnectInCluster(options)
                : throw new DatasourceConfigurationException(
                    "no kubeconfig found: [kubernetes] config_file is empty, $KUBECONFIG is not set, ~/.kube/config does not exist and this is not a pod with a service account");
        }

        var source = files[0];
        CheckYamlSyntax(source);
        K8SConfiguration kubeconfig;
        try
        {
            kubeconfig = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(files[0]), useRelativePaths: true);
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or KubeConfigException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            throw new DatasourceConfigurationException($"kubeconfig {source} cannot be read: {Describe(e)}", e);
        }

        if (kubeconfig is null || (kubeconfig.Contexts?.Any() != true && kubeconfig.Clusters?.Any() != true))
        {
            throw new DatasourceConfigurationException($"kubeconfig {source} has no clusters or contexts; is it a kubeconfig?");
        }

        var contexts = kubeconfig.Contexts?.ToList() ?? [];
        var contextName = options.Context.Length > 0 ? options.Context : kubeconfig.CurrentContext;
        var known = contexts.Count == 0 ? "none" : string.Join(", ", contexts.Select(c => c.Name));
        if (string.IsNullOrEmpty(contextName))
        {
            throw new DatasourceConfigurationException(
                $"kubeconfig {source} has no current-context; set [kubernetes] context to one of: {known}");
        }

        var context = contexts.FirstOrDefault(c => c.Name == contextName)
            ?? throw new DatasourceConfigurationException(
                $"kubeconfig {source} has no context '{contextName}' (contexts: {known})");
        var clusterName = context.ContextDetails?.Cluster ?? string.Empty;
        if (kubeconfig.Clusters?.Any(c => c.Name == clusterName) != true)
        {
            throw new DatasourceConfigurationException(
                $"kubeconfig {source}: context '{contextName}' names cluster '{clusterName}', which is not in the clusters list");
        }

        try
        {
            var configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(kubeconfig, contextName);
            configuration.HttpClientTimeout = options.RequestTimeout;
            var client = new k8s.Kubernetes(configuration);
            return new KubernetesConnection(
                client, client.BaseUri, $"kubeconfig {source}", contextName, context.ContextDetails?.User ?? string.Empty,
                options.ClusterName.Length > 0 ? options.ClusterName : clusterName);
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or FormatException
            or System.Security.Cryptography.CryptographicException or ArgumentException or InvalidOperationException or UriFormatException)
        {
            throw new DatasourceConfigurationException(
                $"kubeconfig {source}, context '{contextName}': {Describe(e)}", e);
        }
    }

    private static KubernetesConnection ConnectInCluster(KubernetesOptions options)
    {
        try
        {
            var configuration = KubernetesClientConfiguration.InClusterConfig();
            configuration.HttpClientTimeout = options.RequestTimeout;
            var client = new k8s.Kubernetes(configuration);
            return new KubernetesConnection(client, client.BaseUri, "in-cluster service account", "in-cluster", "service account",
                options.ClusterName.Length > 0 ? options.ClusterName : "in-cluster");
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new DatasourceConfigurationException($"in-cluster service account cannot be used: {Describe(e)}", e);
        }
    }

    // KubernetesClient reports YAML syntax errors without a position; YamlDotNet's parser has one.
    private static void CheckYamlSyntax(string path)
    {
        YamlDotNet.Core.Parser? parser = null;
        try
        {
            using var reader = File.OpenText(path);
            parser = new YamlDotNet.Core.Parser(reader);
            while (parser.MoveNext())
            {
            }
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new DatasourceConfigurationException(
                $"kubeconfig {path} is not valid YAML: line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner fails this way on some unterminated constructs; the last good event says where.
            var line = parser?.Current?.End.Line;
            throw new DatasourceConfigurationException(
                $"kubeconfig {path} is not valid YAML: line {line?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}, column 1: an unterminated or malformed value after this point", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasourceConfigurationException($"kubeconfig {path} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// The kubeconfig to read. Of several files in $KUBECONFIG the first that exists is used
    /// (kubectl merges them; KubernetesClient's public API reads one).
    /// </summary>
    internal static IReadOnlyList<string> Locate(string configFile)
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
            var listed = variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var existing = listed.Where(File.Exists).Select(Path.GetFullPath).ToList();
            return existing.Count > 0
                ? existing
                : throw new DatasourceConfigurationException($"$KUBECONFIG names {variable}, but no such file exists");
        }

        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        return File.Exists(home) ? [home] : [];
    }

    // Messages from YamlDotNet and KubernetesClient say what is wrong; inner exceptions say why.
    private static string Describe(Exception e)
    {
        var message = e switch
        {
            YamlDotNet.Core.YamlException yaml => $"invalid YAML at line {yaml.Start.Line}, column {yaml.Start.Column}: {yaml.Message}",
            _ => e.Message,
        };
        return e.InnerException is { } inner && !message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{message} ({inner.Message})"
            : message;
    }
}
