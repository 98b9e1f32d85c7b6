using System.Security.Cryptography.X509Certificates;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>
/// Finds the kubeconfig (<c>config_file</c> → <c>$KUBECONFIG</c>, merged → <c>~/.kube/config</c> →
/// in-cluster service account), picks the context and builds an authenticated connection to it
/// with kubectl's rules. Every problem kubectl would refuse to start with is a
/// <see cref="DatasourceConfigurationException"/> naming the file and what is wrong.
/// </summary>
internal static class KubeconfigLoader
{
    public static KubernetesConnection Connect(KubernetesOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var files = KubeconfigLocator.Locate(options.ConfigFile);
        KubeconfigTarget target;
        if (files.Count > 0)
        {
            target = KubeconfigTarget.Select(Load(files), options.Context, KubeconfigLocator.Describe(files));
        }
        else if (InClusterConfig.IsAvailable())
        {
            target = InClusterConfig.Create();
        }
        else
        {
            throw new DatasourceConfigurationException(
                "no kubeconfig found: [kubernetes] config_file is empty, $KUBECONFIG is not set, ~/.kube/config does not exist and this is not a pod with a service account");
        }

        return Connect(target, options, time, files);
    }

    /// <summary>Reads and merges <paramref name="files"/> (one kubeconfig, or the list of <c>$KUBECONFIG</c>).</summary>
    public static Kubeconfig Load(IReadOnlyList<string> files) => KubeconfigMerger.Merge(files.Select(KubeconfigReader.Read).ToList());

    /// <summary>Connects to one context; callers may connect to several of the same kubeconfig.</summary>
    /// <param name="kubeconfigFiles">The kubeconfig files <paramref name="target"/> was read from, for <see cref="KubernetesConnection.Files"/>.</param>
    public static KubernetesConnection Connect(KubeconfigTarget target, KubernetesOptions options, TimeProvider time, IReadOnlyList<string>? kubeconfigFiles = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var cluster = target.Cluster;
        var warnings = new List<string>(target.Warnings);
        var authorities = PemCertificates.LoadAuthorities(cluster);
        if (cluster.InsecureSkipTlsVerify)
        {
            if (authorities is not null)
            {
                throw new DatasourceConfigurationException(
                    $"kubeconfig {cluster.Origin.File}: cluster '{cluster.Name}': specifying a root certificates file with the insecure flag is not allowed (kubectl's rule); remove certificate-authority[-data] or insecure-skip-tls-verify");
            }

            warnings.Add(
                $"{target.Source}: cluster '{cluster.Name}' has insecure-skip-tls-verify: true, so the certificate of {target.SafeServer} is not checked and the credentials go to whoever answers there");
        }

        var proxy = cluster.ProxyUrl is { } proxyUrl
            ? Uri.TryCreate(proxyUrl, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" or "socks5"
                ? parsed
                : throw new DatasourceConfigurationException($"kubeconfig {cluster.Origin.File}: cluster '{cluster.Name}': proxy-url is not an http, https or socks5 URL")
            : null;
        var clientCertificate = target.User is { } user ? PemCertificates.LoadClientCertificate(user) : null;
        var authenticator = AuthenticatorFactory.Create(target, options.RequestTimeout, time, warnings);
        var expectedName = cluster.TlsServerName ?? (target.Server.HostNameType == UriHostNameType.IPv6 ? target.Server.DnsSafeHost : target.Server.IdnHost);
        var verifier = new ServerCertificateVerifier(authorities, expectedName, cluster.InsecureSkipTlsVerify);
        X509Certificate2? CurrentClientCertificate() => (authenticator as ExecAuthenticator)?.ClientCertificate ?? clientCertificate;
        return new KubernetesConnection(() => KubernetesHttpClientFactory.Create(verifier, CurrentClientCertificate, proxy, options.RequestTimeout), authenticator, target.Server, target.Source, target.ContextName, target.UserName,
            options.ClusterName.Length > 0 ? options.ClusterName : cluster.Name)
        {
            Warnings = warnings,
            ClientCertificate = clientCertificate,
            // Read here once: a reload that finds one edited (a renewed certificate) makes the driver again.
            Files = [.. (kubeconfigFiles ?? []).Concat([cluster.CertificateAuthority, target.User?.ClientCertificate, target.User?.ClientKey])
                .OfType<string>().Distinct(StringComparer.Ordinal)],
        };
    }
}
