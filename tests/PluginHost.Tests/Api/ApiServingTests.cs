using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Api;

/// <summary>How <c>run</c> serves the API: TLS, the noauth warning, a port already taken.</summary>
public sealed class ApiServingTests
{
    [Fact]
    public async Task Run_CertAndKeyFiles_ServesHttps()
    {
        using var pki = new TempFolder();
        using var certificate = SelfSigned();
        var certFile = pki.File("api.pem", certificate.ExportCertificatePem());
        var keyFile = pki.File("api.key", certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString();

        await using var host = await ApiHostProcess.StartAsync(nodes: 3, api: $"cert_file = {certFile}\nkey_file = {keyFile}", handler: handler);

        host.BaseUrl.Scheme.ShouldBe("https");
        using var response = await host.GetAsync("v1/status/");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    // Found by a hostile test (stop 38): any caller saw the datasources' last errors, which name the
    // kubeconfig's path and user; Vitrage's own service list is refused (500) to everyone.
    [Fact]
    public async Task ServiceList_DatasourceFailing_ItsLastErrorShownToAdminsOnly()
    {
        await using var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 2, api: "port = 0");
        cluster.Simulator.Faults.Add(new PluginHost.KubeApiSimulator.FaultRule(PluginHost.KubeApiSimulator.FaultKind.InternalError));
        await using var host = await ApiHostProcess.StartOnAsync(cluster, nodes: 2, waitForGraph: false, ownsCluster: true);

        string? adminError = null;
        for (var i = 0; i < 100 && adminError is null; i++)
        {
            adminError = await LastErrorAsync(host, roles: "admin", project: "admin");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        adminError.ShouldNotBeNull("the failing datasource's error, for an admin");
        (await LastErrorAsync(host, roles: "member", project: "p1")).ShouldBeNull();
    }

    private static async Task<string?> LastErrorAsync(ApiHostProcess host, string roles, string project)
    {
        using var response = await host.GetAsync("v1/service/", roles: roles, project: project);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var services = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var datasource = services.RootElement.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "plugin_host.datasource.kubernetes");
        datasource.GetProperty("state").GetString().ShouldNotBeNull();
        return datasource.TryGetProperty("last_error", out var error) ? error.GetString() : null;
    }

    [Fact]
    public async Task Run_NoauthOnEveryInterface_WarnsThatAnyoneCanRead()
    {
        await using var host = await ApiHostProcess.StartAsync(nodes: 2, api: "host = 0.0.0.0", waitForGraph: false);

        await host.WaitForLogAsync("The REST API listens on 0.0.0.0 with [api] auth_mode = noauth: anyone who reaches port");
    }

    [Fact]
    public async Task Run_PortAlreadyTaken_ExitsTwoNamingThePort()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 1, api: $"port = {port}");

        var result = await HostProcess.RunAsync("run", "--config-file", cluster.ConfigFile);

        result.ExitCode.ShouldBe(2, result.Stderr);
        result.Stderr.ShouldContain($"error: [api] cannot listen on 127.0.0.1 port {port}");
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
