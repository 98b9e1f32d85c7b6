using PluginHost.Contracts;
using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests.Connection;

/// <summary>No failure message or log line holds a token, a key or a password.</summary>
public sealed class SecretTests
{
    private const string Token = "s3cr3t-t0ken-value";
    private const string Password = "hunter2-passw0rd";

    public static TheoryData<string, string, string> Failures => new()
    {
        { "token rejected (401)", "token: " + Token, string.Empty },
        { "password rejected (401)", $"username: admin\npassword: {Password}", string.Empty },
        { "tokenFile rejected (401)", "tokenFile: token", string.Empty },
        { "oidc id-token rejected", $"auth-provider:\n  name: oidc\n  config:\n    idp-issuer-url: https://issuer\n    client-id: k8s\n    id-token: {Token}\n    refresh-token: {Password}", string.Empty },
        { "exec env and output", $"exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: ./credential\n  env:\n  - name: PASSWORD\n    value: {Password}", string.Empty },
        // Found by a hostile test (s44): the first line of a failing plugin's stderr is in the message,
        // and a plugin that says what it was given put the password of its env there.
        { "exec failing, its stderr echoing its env", $"exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: ./failing\n  env:\n  - name: PASSWORD\n    value: {Password}", string.Empty },
        // Found by a hostile test (s45): a plugin that echoes its args on failure showed the token and
        // password the kubeconfig's exec args hand it, which were not masked like its env values.
        { "exec failing, its stderr echoing --token=", $"exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: ./echoing\n  args: [login, --token={Token}]", string.Empty },
        { "exec failing, its stderr echoing --password VALUE", $"exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: ./echoing\n  args: [login, --password, {Password}]", string.Empty },
        { "wrong-host certificate", "token: " + Token, "tls-server-name: wrong.example" },
        { "insecure, warned", "token: " + Token, "insecure-skip-tls-verify: true" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Messages_FailuresAndWarnings_NeverHoldTheCredentials(string name, string user, string clusterLines)
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 1, Https = true, Auth = SimulatorAuth.Token });
        cluster.WriteFile("token", Token);
        cluster.WriteScript("credential", $"echo '{{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"{Token}\"}}}}'");
        cluster.WriteScript("failing", "echo \"vault login as pluginhost with password $PASSWORD was refused\" >&2\nexit 2");
        cluster.WriteScript("echoing", "echo \"vault $* was refused\" >&2\nexit 2");
        var logger = new CapturingLogger();
        var messages = new List<string>();
        try
        {
            await using var driver = cluster.CreateDriver(
                KubeconfigText.For(cluster.Simulator, user: user, withCa: !clusterLines.StartsWith("insecure", StringComparison.Ordinal), cluster: clusterLines), logger);
            await SimulatedCluster.GetAllAsync(driver, TestContext.Current.CancellationToken);
        }
        catch (Exception e) when (e is DatasourceException or DatasourceConfigurationException)
        {
            for (var current = (Exception?)e; current is not null; current = current.InnerException)
            {
                messages.Add(current.Message);
            }
        }

        messages.AddRange(logger.Entries.Select(e => e.Message));
        messages.ShouldNotBeEmpty(name);
        messages.ShouldAllBe(m => !m.Contains(Token) && !m.Contains(Password), name);
    }

    public static TheoryData<string, string[], string[]> ExecArgs => new()
    {
        { "--name=value", ["login", "--token=abcd1234", "--region=eu-1"], ["abcd1234"] },
        { "--name value", ["--password", "hunter22", "--user", "admin"], ["hunter22"] },
        { "a value that starts with '-'", ["--passwd", "-x9secret"], ["-x9secret"] },
        { "single dash and mixed case", ["-Client-Secret", "c1s2", "-API_KEY=k3y4"], ["c1s2", "k3y4"] },
        { "env NAME=value before the command", ["VAULT_TOKEN=s.abcdef", "HOME=/root", "vault"], ["s.abcdef"] },
        { "credentials and key files", ["--credentials-file=/etc/creds.json", "--client-key", "/etc/key.pem"], ["/etc/creds.json", "/etc/key.pem"] },
        { "a credential's name as the last argument", ["get-token", "--token"], [] },
        { "no name says credential", ["eks", "get-token", "--cluster-name", "prod", "--region", "eu-west-1"], [] },
        // Told from any other argument by nothing: shown, as documented.
        { "a bare positional value", ["login", "hunter22"], [] },
    };

    [Theory]
    [MemberData(nameof(ExecArgs))]
    public void SecretArgValues_ExecArgs_AreTheValuesOfCredentialOptions(string name, string[] args, string[] secrets) =>
        Kubernetes.Connection.ExecCredentialPlugin.SecretArgValues(args).ShouldBe(secrets, name);
}
