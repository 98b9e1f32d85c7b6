using PluginHost.Contracts;
using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests.Connection;

/// <summary>The server's certificate is checked as kubectl checks it, before any credential is sent.</summary>
public sealed class TlsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string[], string, string> WrongHosts => new()
    {
        { "IP server, certificate with DNS names only", ["wrong.example"], "127.0.0.1", "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs" },
        { "IP server, certificate for another IP", ["10.1.2.3", "wrong.example"], "127.0.0.1", "x509: certificate is valid for 10.1.2.3, not 127.0.0.1" },
        { "DNS server, certificate for another name", ["wrong.example", "127.0.0.1"], "localhost", "x509: certificate is valid for wrong.example, not localhost" },
    };

    [Theory]
    [MemberData(nameof(WrongHosts))]
    public async Task GetAll_CertificateForAnotherHost_IsRefusedAndTheTokenIsNeverSent(string name, string[] certificateNames, string host, string expected)
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions
        {
            NodeCount = 1, Https = true, Auth = SimulatorAuth.Token, ServerCertificateNames = certificateNames,
        });
        var server = cluster.Simulator.BaseUrl.ToString().TrimEnd('/').Replace("127.0.0.1", host, StringComparison.Ordinal);
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator, server: server));

        var error = await Should.ThrowAsync<DatasourceException>(() => SimulatedCluster.GetAllAsync(driver, Ct));

        error.Message.ShouldBe($"the TLS certificate of {server} (kubeconfig {cluster.Folder}/custom.kubeconfig) was refused, nothing was sent to it: {expected}", name);
        cluster.Simulator.Counters.Total.ShouldBe(0, name); // no request got through TLS: the token went nowhere
    }

    [Fact]
    public async Task GetAll_TlsServerNameOfTheCertificate_Connects()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions
        {
            NodeCount = 1, Https = true, Auth = SimulatorAuth.Token, ServerCertificateNames = ["api.internal.example"],
        });
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator, cluster: "tls-server-name: api.internal.example"));

        (await SimulatedCluster.GetAllAsync(driver, Ct)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task GetAll_CaOfAnotherAuthority_IsRefusedAsSignedByAnUnknownAuthority()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 1, Https = true, Auth = SimulatorAuth.Token });
        await using var other = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 1, Https = true });
        var ca = KubeconfigText.Base64(SimulatorCertificates.ToPem(other.Simulator.Certificates!.Authority));
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator, withCa: false, cluster: $"certificate-authority-data: {ca}"));

        var error = await Should.ThrowAsync<DatasourceException>(() => SimulatedCluster.GetAllAsync(driver, Ct));

        error.Message.ShouldEndWith("was refused, nothing was sent to it: x509: certificate signed by unknown authority");
        cluster.Simulator.Counters.Total.ShouldBe(0);
    }

    [Fact]
    public async Task CreateDriver_InsecureSkipTlsVerify_ConnectsToAnyCertificateAndWarnsOnce()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions
        {
            NodeCount = 1, Https = true, Auth = SimulatorAuth.Token, ServerCertificateNames = ["wrong.example"],
        });
        var logger = new CapturingLogger();
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator, withCa: false, cluster: "insecure-skip-tls-verify: true"), logger);

        await SimulatedCluster.GetAllAsync(driver, Ct);
        await SimulatedCluster.GetAllAsync(driver, Ct);

        logger.Warnings.ShouldHaveSingleItem().ShouldBe(
            $"kubeconfig {cluster.Folder}/custom.kubeconfig: cluster 'sim-cluster' has insecure-skip-tls-verify: true, so the certificate of {cluster.Simulator.BaseUrl.ToString().TrimEnd('/')} is not checked and the credentials go to whoever answers there");
    }

    [Fact]
    public async Task CreateDriver_InsecureSkipTlsVerifyWithACa_IsRefusedAsKubectlDoes()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 1, Https = true });

        var error = Should.Throw<DatasourceConfigurationException>(() => cluster.CreateDriver(KubeconfigText.For(cluster.Simulator, cluster: "insecure-skip-tls-verify: true")));

        error.Message.ShouldBe($"kubeconfig {cluster.Folder}/custom.kubeconfig: cluster 'sim-cluster': specifying a root certificates file with the insecure flag is not allowed (kubectl's rule); remove certificate-authority[-data] or insecure-skip-tls-verify");
    }
}
