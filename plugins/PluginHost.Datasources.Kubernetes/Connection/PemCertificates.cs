using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>
/// The PEM material of a kubeconfig: CA bundles and client certificates with their keys (RSA or
/// EC; PKCS#1, PKCS#8 or SEC1). Messages name the file or field, never its content.
/// </summary>
internal static class PemCertificates
{
    // A certificate file, unlike a log, is small; reading an arbitrary file whole is not.
    private const int MaxFileBytes = 1 << 20;

    /// <summary>The cluster's CA certificates, or null when the kubeconfig names none.</summary>
    public static X509Certificate2Collection? LoadAuthorities(KubeCluster cluster)
    {
        var pem = Read(cluster.CertificateAuthorityData, cluster.CertificateAuthority, "certificate-authority", cluster.Origin, $"cluster '{cluster.Name}'");
        if (pem is null)
        {
            return null;
        }

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new DatasourceConfigurationException($"kubeconfig {cluster.Origin.File}: cluster '{cluster.Name}': its certificate authority is not a PEM certificate ({e.Message})", e);
        }

        return authorities.Count > 0
            ? authorities
            : throw new DatasourceConfigurationException(
                $"kubeconfig {cluster.Origin.File}: cluster '{cluster.Name}': its certificate authority holds no PEM certificate (kubectl: unable to load root certificates)");
    }

    /// <summary>The user's client certificate with its key, or null when the user has none.</summary>
    public static X509Certificate2? LoadClientCertificate(KubeUser user)
    {
        if (!user.HasClientCertificate)
        {
            return null;
        }

        var where = $"user '{user.Name}'";
        var certificate = Read(user.ClientCertificateData, user.ClientCertificate, "client-certificate", user.Origin, where);
        var key = Read(user.ClientKeyData, user.ClientKey, "client-key", user.Origin, where);
        if (certificate is null || key is null)
        {
            throw new DatasourceConfigurationException(
                $"kubeconfig {user.Origin.File}: {where} has a client {(certificate is null ? "key but no client-certificate" : "certificate but no client-key")}[-data]; kubectl needs both");
        }

        return FromPem(certificate, key, $"kubeconfig {user.Origin.File}: {where}");
    }

    /// <summary>A certificate and its key from PEM text, usable by TLS on every platform.</summary>
    public static X509Certificate2 FromPem(string certificate, string key, string where)
    {
        try
        {
            using var loaded = X509Certificate2.CreateFromPem(certificate, key);

            // SslStream on Linux needs a certificate whose key came from a PKCS#12 import.
            return X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException e)
        {
            throw new DatasourceConfigurationException($"{where}: the client certificate and key cannot be used: {e.Message}", e);
        }
    }

    private static string? Read(byte[]? data, string? file, string field, KubeconfigOrigin origin, string where)
    {
        if (data is not null)
        {
            return Encoding.UTF8.GetString(data);
        }

        if (file is null)
        {
            return null;
        }

        try
        {
            return BoundedFile.ReadText(file, MaxFileBytes)
                ?? throw new DatasourceConfigurationException($"kubeconfig {origin.File}: {where}: {field} {file} is larger than 1 MiB; is it the right file?");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasourceConfigurationException($"kubeconfig {origin.File}: {where}: {field} {file} cannot be read: {e.Message}", e);
        }
    }
}
