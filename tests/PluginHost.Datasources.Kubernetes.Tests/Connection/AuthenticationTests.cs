using PluginHost.Contracts;
using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests.Connection;

/// <summary>Every kubeconfig user form kubectl accepts, through the driver against the simulator.</summary>
public sealed class AuthenticationTests
{
    private const string ExecV1 = "apiVersion: client.authentication.k8s.io/v1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, bool, string?, string?> WithoutCredentials => new()
    {
        { "user: {} over http (kubectl proxy)", false, "{}", "sim-admin" },
        { "context without user over http", false, null, null },
        { "user: {} over https (TLS terminated in front)", true, "{}", "sim-admin" },
        { "context naming a user that is not listed", false, null, "nobody" },
    };

    [Theory]
    [MemberData(nameof(WithoutCredentials))]
    public async Task GetAll_UserWithoutCredentials_ConnectsWithoutAnAuthorizationHeader(string name, bool https, string? user, string? contextUser)
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 3, Https = https });
        var logger = new CapturingLogger();
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator, user: user, contextUser: contextUser), logger);

        var events = await SimulatedCluster.GetAllAsync(driver, Ct);

        events.Count.ShouldBe(4, name);
        cluster.Simulator.Counters.WithAuthorization.ShouldBe(0, name);
        if (contextUser == "nobody")
        {
            logger.Warnings.ShouldHaveSingleItem(name).ShouldContain("names user 'nobody', which is not in the users list; connecting without credentials");
        }
    }

    [Fact]
    public async Task GetAll_TokenFileRotated_UsesTheNewTokenFromTheNextRequest()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 2, Https = true, Auth = SimulatorAuth.Token });
        cluster.WriteFile("secrets/token", "simulator-token\n");
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator, user: "tokenFile: secrets/token"));
        (await SimulatedCluster.GetAllAsync(driver, Ct)).Count.ShouldBe(3);

        cluster.Simulator.AcceptedToken = "rotated-token";
        cluster.WriteFile("secrets/token", "rotated-token");

        (await SimulatedCluster.GetAllAsync(driver, Ct)).Count.ShouldBe(3);
    }

    [Fact]
    public async Task CreateDriver_TokenFileMissing_FailsAtStartNamingTheFile()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 1 });

        var error = Should.Throw<DatasourceConfigurationException>(() => cluster.CreateDriver(KubeconfigText.For(cluster.Simulator, user: "tokenFile: missing-token")));

        error.Message.ShouldBe($"kubeconfig {cluster.Folder}/custom.kubeconfig: user 'sim-admin': tokenFile {cluster.Folder}/missing-token cannot be read: Could not find file '{cluster.Folder}/missing-token'.");
    }

    public static TheoryData<string, string, int, int> ExecCaching => new()
    {
        { "no expiration: until the server rejects it", "", 2, 1 },
        { "expires in the future: cached", ",\"expirationTimestamp\":\"2099-01-01T00:00:00Z\"", 2, 1 },
        { "expired: run for every request", ",\"expirationTimestamp\":\"2001-01-01T00:00:00Z\"", 2, 4 },
    };

    [Theory]
    [MemberData(nameof(ExecCaching))]
    public async Task GetAll_ExecPlugin_RunsAgainOnlyWhenTheCredentialExpired(string name, string expiration, int snapshots, int runs)
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 2, Https = true, Auth = SimulatorAuth.Token });
        var counter = Path.Combine(cluster.Folder, "runs");
        cluster.WriteScript("bin/credential", $$$"""
            echo run >> {{{counter}}}
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"simulator-token"{{{expiration}}}}}'
            """);
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator, user: $"exec:\n  {ExecV1}\n  command: ./bin/credential\n  interactiveMode: Never"));

        for (var i = 0; i < snapshots; i++)
        {
            (await SimulatedCluster.GetAllAsync(driver, Ct)).Count.ShouldBe(3, name);
        }

        File.ReadAllLines(counter).Length.ShouldBe(runs, name);
    }

    [Fact]
    public async Task GetAll_ExecCredentialRejected_RunsThePluginAgainOnceAndCompletes()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 2, Https = true, Auth = SimulatorAuth.Token });
        var counter = Path.Combine(cluster.Folder, "runs");
        cluster.WriteScript("credential", $$$"""
            echo run >> {{{counter}}}
            if [ "$(wc -l < {{{counter}}})" -eq 1 ]; then token=stale-token; else token=simulator-token; fi
            echo "{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"$token\"}}"
            """);
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator, user: "exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: ./credential"));

        (await SimulatedCluster.GetAllAsync(driver, Ct)).Count.ShouldBe(3);

        File.ReadAllLines(counter).Length.ShouldBe(2);
    }

    public static TheoryData<string, string, string[]> ExecFailures => new()
    {
        { "exit code and first stderr line", "echo 'cannot reach the vault' >&2\necho 'second line' >&2\nexit 3", ["exec plugin '{folder}/credential' of user 'sim-admin' failed with exit code 3: cannot reach the vault"] },
        { "not JSON (a token in it stays unsaid)", "echo '{\"status\":{\"token\":\"simulator-token\"'", ["exec plugin '{folder}/credential' of user 'sim-admin' printed no usable ExecCredential: its output is not JSON"] },
        { "another apiVersion", "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1alpha1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"x\"}}'", ["printed apiVersion 'client.authentication.k8s.io/v1alpha1', kind 'ExecCredential', but the kubeconfig expects apiVersion 'client.authentication.k8s.io/v1'"] },
        { "no token", "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{}}'", ["printed neither status.token nor status.clientCertificateData and clientKeyData"] },
        { "slower than request_timeout", "sleep 30", ["exec plugin '{folder}/credential' of user 'sim-admin' did not finish within 1 s ([kubernetes] request_timeout) and was stopped"] },
    };

    [Theory]
    [MemberData(nameof(ExecFailures))]
    public async Task GetAll_ExecPluginFails_OneClearLineWithoutTheCredential(string name, string script, string[] expected)
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 1, Https = true, Auth = SimulatorAuth.Token });
        cluster.WriteScript("credential", script);
        await using var driver = cluster.CreateDriver(
            KubeconfigText.For(cluster.Simulator, user: $"exec:\n  {ExecV1}\n  command: ./credential\n  interactiveMode: Never"), requestTimeout: 1);

        var error = await Should.ThrowAsync<DatasourceException>(() => SimulatedCluster.GetAllAsync(driver, Ct));

        foreach (var part in expected)
        {
            error.Message.ShouldContain(part.Replace("{folder}", cluster.Folder, StringComparison.Ordinal), Case.Sensitive, name);
        }

        error.Message.ShouldNotContain("\n", Case.Sensitive, name);
        error.Message.ShouldNotContain("second line", Case.Sensitive, name);
        error.Message.ShouldNotContain("simulator-token", Case.Sensitive, name);
        cluster.Simulator.Counters.Total.ShouldBe(0, name);
    }

    [Fact]
    public async Task GetAll_ExecCommandMissing_SaysItCannotStartWithTheInstallHint()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 1, Https = true, Auth = SimulatorAuth.Token });
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator,
            user: $"exec:\n  {ExecV1}\n  command: ./no-such-plugin\n  interactiveMode: Never\n  installHint: |\n    install it with\n    apt-get install no-such-plugin"));

        var error = await Should.ThrowAsync<DatasourceException>(() => SimulatedCluster.GetAllAsync(driver, Ct));

        error.Message.ShouldStartWith($"exec plugin '{cluster.Folder}/no-such-plugin' of user 'sim-admin' cannot be started: ");
        error.Message.ShouldEndWith("; install it with apt-get install no-such-plugin");
    }

    [Fact]
    public async Task GetAll_ExecPluginWithArgsAndEnv_GetsThemAndKubernetesExecInfo()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 1, Https = true, Auth = SimulatorAuth.Token });
        var seen = Path.Combine(cluster.Folder, "seen");
        cluster.WriteScript("credential", $$$"""
            printf '%s|%s|%s|%s\n' "$1" "$2" "$VAULT_ROLE" "$KUBERNETES_EXEC_INFO" > {{{seen}}}
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"simulator-token"}}'
            """);
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator,
            user: $"exec:\n  {ExecV1}\n  command: ./credential\n  args: [\"get token\", --fast]\n  env:\n  - name: VAULT_ROLE\n    value: reader\n  interactiveMode: IfAvailable\n  provideClusterInfo: true"));

        (await SimulatedCluster.GetAllAsync(driver, Ct)).Count.ShouldBe(2);

        var parts = File.ReadAllText(seen).TrimEnd().Split('|');
        parts[..3].ShouldBe(["get token", "--fast", "reader"]);
        parts[3].ShouldStartWith("""{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false,"cluster":{"server":"https://127.0.0.1:""");
    }

    [Fact]
    public async Task GetAll_ExecPluginGivingAClientCertificate_AuthenticatesWithIt()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 2, Https = true, Auth = SimulatorAuth.ClientCertificate });
        var pki = cluster.Simulator.Certificates!;
        var credential = System.Text.Json.JsonSerializer.Serialize(new
        {
            apiVersion = "client.authentication.k8s.io/v1",
            kind = "ExecCredential",
            status = new { clientCertificateData = SimulatorCertificates.ToPem(pki.Client), clientKeyData = SimulatorCertificates.PrivateKeyPem(pki.Client) },
        });
        var file = cluster.WriteFile("credential.json", credential);
        cluster.WriteScript("credential", $"cat {file}");
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator, user: $"exec:\n  {ExecV1}\n  command: ./credential\n  interactiveMode: Never"));

        (await SimulatedCluster.GetAllAsync(driver, Ct)).Count.ShouldBe(3);
    }

    public static TheoryData<string, string, string> RefusedAtStart => new()
    {
        { "exec v1 without interactiveMode", $"exec:\n  {ExecV1}\n  command: ./credential", "interactiveMode must be specified for sim-admin to use exec authentication plugin" },
        { "exec interactiveMode Always", $"exec:\n  {ExecV1}\n  command: ./credential\n  interactiveMode: Always", "has interactiveMode: Always, which needs a terminal" },
        { "exec apiVersion kubectl dropped", "exec:\n  apiVersion: client.authentication.k8s.io/v1alpha1\n  command: ./credential", "exec apiVersion 'client.authentication.k8s.io/v1alpha1' is not one kubectl supports" },
        { "exec without command", $"exec:\n  {ExecV1}\n  interactiveMode: Never", "exec has no command" },
        { "auth-provider gcp", "auth-provider:\n  name: gcp\n  config:\n    access-token: s3cr3t", "use the \"gke-gcloud-auth-plugin\" kubectl/client-go credential plugin instead" },
        { "auth-provider azure", "auth-provider:\n  name: azure\n  config:\n    access-token: s3cr3t", "use the https://github.com/Azure/kubelogin kubectl/client-go credential plugin instead" },
        { "auth-provider unknown", "auth-provider:\n  name: foo", "no Auth Provider found for name \"foo\"" },
        { "auth-provider oidc without issuer", "auth-provider:\n  name: oidc\n  config:\n    id-token: s3cr3t", "auth-provider oidc: Must provide idp-issuer-url" },
        { "token and password", "token: s3cr3t\nusername: admin\npassword: s3cr3t", "has more than one authentication method (token, username/password); kubectl allows only one" },
        { "impersonation", "token: s3cr3t\nas: someone-else", "impersonates (as/as-groups), which this plugin does not do" },
    };

    [Theory]
    [MemberData(nameof(RefusedAtStart))]
    public async Task CreateDriver_UserKubectlRefusesOrPluginCannotServe_IsAConfigurationErrorNamingTheUser(string name, string user, string expected)
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 1 });

        var error = Should.Throw<DatasourceConfigurationException>(() => cluster.CreateDriver(KubeconfigText.For(cluster.Simulator, user: user)));

        error.Message.ShouldStartWith($"kubeconfig {cluster.Folder}/custom.kubeconfig: user 'sim-admin'", Case.Sensitive, name);
        error.Message.ShouldContain(expected, Case.Sensitive, name);
        error.Message.ShouldNotContain("s3cr3t", Case.Sensitive, name);
    }

    [Fact]
    public async Task GetAll_OidcIdToken_IsSentAsTheBearerToken()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 1, Https = true, Auth = SimulatorAuth.Token });
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator,
            user: "auth-provider:\n  name: oidc\n  config:\n    idp-issuer-url: https://issuer.example\n    client-id: k8s\n    id-token: simulator-token"));

        (await SimulatedCluster.GetAllAsync(driver, Ct)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task GetAll_ClientCertificateFilesRelativeToTheKubeconfig_Authenticate()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 1, Https = true, Auth = SimulatorAuth.ClientCertificate });
        var pki = cluster.Simulator.Certificates!;
        cluster.WriteFile("pki/client.crt", SimulatorCertificates.ToPem(pki.Client));
        cluster.WriteFile("pki/client.key", SimulatorCertificates.PrivateKeyPem(pki.Client));
        cluster.WriteFile("pki/ca.crt", SimulatorCertificates.ToPem(pki.Authority));
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator, withCa: false,
            cluster: "certificate-authority: pki/ca.crt", user: "client-certificate: pki/client.crt\nclient-key: pki/client.key"));

        (await SimulatedCluster.GetAllAsync(driver, Ct)).Count.ShouldBe(2);
    }
}
