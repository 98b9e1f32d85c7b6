using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>
/// A pod's service account as a kubeconfig target: the API at <c>KUBERNETES_SERVICE_HOST</c>:
/// <c>KUBERNETES_SERVICE_PORT</c>, the account's CA, and its token as a <c>tokenFile</c> — read
/// for every request, because projected tokens rotate (KubernetesClient read it once).
/// </summary>
internal static class InClusterConfig
{
    public const string ServiceAccountFolder = "/var/run/secrets/kubernetes.io/serviceaccount";
    public const string Source = "in-cluster service account";

    public static bool IsAvailable(string folder = ServiceAccountFolder) =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"))
        && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT"))
        && File.Exists(Path.Combine(folder, "token"));

    public static KubeconfigTarget Create(string folder = ServiceAccountFolder)
    {
        var host = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") ?? string.Empty;
        var port = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT") ?? string.Empty;
        var authority = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
        if (!Uri.TryCreate($"https://{authority}", UriKind.Absolute, out var server))
        {
            throw new DatasourceConfigurationException(
                $"{Source}: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT ('{authority}') do not make a URL");
        }

        var origin = new KubeconfigOrigin(folder, 0);
        var cluster = new KubeCluster("in-cluster", origin)
        {
            Server = server.AbsoluteUri.TrimEnd('/'),
            CertificateAuthority = File.Exists(Path.Combine(folder, "ca.crt")) ? Path.Combine(folder, "ca.crt") : null,
        };
        var user = new KubeUser("service account", origin) { TokenFile = Path.Combine(folder, "token") };
        return new KubeconfigTarget("in-cluster", cluster, user, user.Name, Source, server);
    }
}
