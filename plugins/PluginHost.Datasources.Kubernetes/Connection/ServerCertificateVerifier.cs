using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>
/// Checks the API server's certificate the way kubectl (Go's crypto/tls) does: the chain must end
/// at the kubeconfig's CA (or, without one, a system root), the certificate must be for server
/// authentication, and its subject alternative names must match the server's host — or
/// <c>tls-server-name</c> — as DNS name or IP address (the common name is not used, as in Go).
/// </summary>
/// <remarks>
/// KubernetesClient checks only the chain when the kubeconfig has a CA, so a certificate the CA
/// issued for any other host was accepted and the bearer token sent to it. A failure throws
/// <see cref="TlsVerificationException"/> with Go's wording, which the HTTP stack carries out as
/// the inner exception: the request (and its Authorization header) is never sent.
/// </remarks>
internal sealed class ServerCertificateVerifier(X509Certificate2Collection? authorities, string expectedName, bool insecure)
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    /// <summary>The name the certificate must be valid for.</summary>
    public string ExpectedName { get; } = expectedName;

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (insecure)
        {
            return true; // insecure-skip-tls-verify: the operator asked for it, and was warned at start
        }

        if (certificate is null)
        {
            throw new TlsVerificationException("the server sent no certificate");
        }

        // On Linux the runtime passes an X509Certificate2 it owns: use it, do not dispose it.
        using var copy = certificate as X509Certificate2 is null ? new X509Certificate2(certificate) : null;
        var leaf = copy ?? (X509Certificate2)certificate;
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // Go does not check revocation either
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        if (authorities is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        }

        // Intermediates the server sent.
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (!chain.Build(leaf))
        {
            throw new TlsVerificationException(DescribeChainFailure(chain));
        }

        if (!leaf.MatchesHostname(ExpectedName, allowWildcards: true, allowCommonName: false))
        {
            throw new TlsVerificationException(DescribeNameMismatch(leaf, ExpectedName));
        }

        return true;
    }

    private static string DescribeChainFailure(X509Chain chain)
    {
        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        if ((flags & (X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested)) != 0)
        {
            return "x509: certificate has expired or is not yet valid";
        }

        if ((flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.NotSignatureValid)) != 0)
        {
            return "x509: certificate signed by unknown authority";
        }

        if ((flags & X509ChainStatusFlags.NotValidForUsage) != 0)
        {
            return "x509: certificate specifies an incompatible key usage";
        }

        return "x509: " + string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Distinct());
    }

    // Go's messages (crypto/x509 HostnameError), so an operator reads what kubectl would print.
    private static string DescribeNameMismatch(X509Certificate2 certificate, string host)
    {
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (IPAddress.TryParse(host, out _))
        {
            var addresses = names?.EnumerateIPAddresses().Select(a => a.ToString()).ToList() ?? [];
            return addresses.Count == 0
                ? $"x509: cannot validate certificate for {host} because it doesn't contain any IP SANs"
                : $"x509: certificate is valid for {string.Join(", ", addresses)}, not {host}";
        }

        var dnsNames = names?.EnumerateDnsNames().ToList() ?? [];
        return dnsNames.Count == 0
            ? $"x509: certificate is not valid for any names, but wanted to match {host}"
            : $"x509: certificate is valid for {string.Join(", ", dnsNames)}, not {host}";
    }
}

/// <summary>The server's certificate was refused; the message is Go's, safe to show.</summary>
internal sealed class TlsVerificationException(string message) : Exception(message);
