using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PluginHost.KubeApiSimulator;

/// <summary>
/// A throw-away PKI for one simulator: a CA, a server certificate for the given names (by default
/// 127.0.0.1, ::1 and localhost; other names make a certificate for the wrong host) and a client certificate (CN = user, O = system:masters, like kubeadm's admin). RSA for the widest
/// client support (kubectl, KubernetesClient).
/// </summary>
public sealed class SimulatorCertificates : IDisposable
{
    private SimulatorCertificates(X509Certificate2 ca, X509Certificate2 server, X509Certificate2 client)
    {
        Authority = ca;
        Server = server;
        Client = client;
    }

    public X509Certificate2 Authority { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 Client { get; }

    public static SimulatorCertificates Create(string userName) => Create(userName, new SimulatorOptions().ServerCertificateNames);

    /// <param name="userName">The client certificate's CN.</param>
    /// <param name="serverNames">The server certificate's subject alternative names: IP addresses or DNS names.</param>
    public static SimulatorCertificates Create(string userName, IReadOnlyList<string> serverNames)
    {
        ArgumentNullException.ThrowIfNull(serverNames);
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=plugin-host-simulator-ca", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var ca = caRequest.CreateSelfSigned(now, now.AddDays(30));

        var server = Issue(ca, caKey, "CN=kube-apiserver", now, request =>
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (var name in serverNames)
            {
                if (IPAddress.TryParse(name, out var address))
                {
                    names.AddIpAddress(address);
                }
                else
                {
                    names.AddDnsName(name);
                }
            }

            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        });
        var client = Issue(ca, caKey, $"CN={userName}, O=system:masters", now, request =>
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false)));
        return new SimulatorCertificates(Reload(ca), server, client);
    }

    /// <summary>Whether <paramref name="certificate"/> was issued by this simulator's CA.</summary>
    public bool IsIssuedByAuthority(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public static string ToPem(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    public static string PrivateKeyPem(X509Certificate2 certificate) =>
        certificate.GetRSAPrivateKey()?.ExportRSAPrivateKeyPem() ?? throw new InvalidOperationException("no RSA private key");

    private static X509Certificate2 Issue(
        X509Certificate2 ca, RSA caKey, string subject, DateTimeOffset now, Action<CertificateRequest> extend)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        extend(request);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var signer = X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1);
        using var issued = request.Create(ca.SubjectName, signer, now, now.AddDays(30), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    // Kestrel and SslStream on Linux want a certificate whose key came from a PKCS#12 import.
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
        Client.Dispose();
    }
}
