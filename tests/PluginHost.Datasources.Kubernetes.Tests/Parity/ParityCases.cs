using PluginHost.KubeApiSimulator;

namespace PluginHost.Datasources.Kubernetes.Tests.Parity;

/// <summary>
/// Every kubeconfig form and server behaviour of issue 12, each run through kubectl and through
/// the plugin. Where they differ, <see cref="ParityCase.Divergence"/> says why (the plugin README
/// repeats it).
/// </summary>
internal static class ParityCases
{
    private const string ExecV1 = "apiVersion: client.authentication.k8s.io/v1";
    private const string ExecToken = """{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"simulator-token"}}""";
    private const string DeadServer = "https://127.0.0.1:1";

    private static readonly SimulatorOptions PlainHttp = new() { NodeCount = 3 };
    private static readonly SimulatorOptions HttpsNoAuth = new() { NodeCount = 3, Https = true };
    private static readonly SimulatorOptions HttpsClientCertificate = new() { NodeCount = 3, Https = true, Auth = SimulatorAuth.ClientCertificate };
    private static readonly SimulatorOptions WrongHostCertificate = new() { NodeCount = 3, Https = true, Auth = SimulatorAuth.Token, ServerCertificateNames = ["wrong.example"] };

    private static readonly PluginExpectation PluginConnects = new(0, 0);
    private static readonly KubectlExpectation KubectlConnects = new(Outcome.Connects);

    public static IReadOnlyList<ParityCase> All { get; } =
    [
        // --- users -----------------------------------------------------------------------------
        new()
        {
            Name = "bearer token",
            Kubeconfig = r => KubeconfigText.For(r.Simulator),
            Kubectl = KubectlConnects,
            Plugin = PluginConnects,
        },
        new()
        {
            Name = "client certificate",
            Simulator = HttpsClientCertificate,
            Kubeconfig = r => KubeconfigText.For(r.Simulator, user: KubeconfigText.ClientCertificate(r.Simulator)),
            Kubectl = KubectlConnects,
            Plugin = PluginConnects,
        },
        new()
        {
            Name = "user: {} over http (kubectl proxy)",
            Simulator = PlainHttp,
            Kubeconfig = r => KubeconfigText.For(r.Simulator, user: "{}"),
            Kubectl = KubectlConnects,
            Plugin = PluginConnects,
            Then = (r, _, _) => r.Simulator.Counters.WithAuthorization.ShouldBe(0),
        },
        new()
        {
            Name = "context without user over http",
            Simulator = PlainHttp,
            Kubeconfig = r => KubeconfigText.For(r.Simulator, user: null, contextUser: null),
            Kubectl = KubectlConnects,
            Plugin = PluginConnects,
            Then = (r, _, _) => r.Simulator.Counters.WithAuthorization.ShouldBe(0),
        },
        new()
        {
            Name = "user: {} over https (authenticating proxy, mTLS in front)",
            Simulator = HttpsNoAuth,
            Kubeconfig = r => KubeconfigText.For(r.Simulator, user: "{}"),
            Kubectl = new(Outcome.Refuses, "error: EOF"),
            Plugin = PluginConnects,
            Divergence = "kubectl prompts for a username (basic auth) when an https user has no credentials, and fails without a terminal; the plugin sends no Authorization header, as issue 12 asks",
            Then = (r, _, _) => r.Simulator.Counters.WithAuthorization.ShouldBe(0),
        },
        new()
        {
            Name = "tokenFile relative to the kubeconfig",
            Prepare = r => Write(r, "secrets/token", "simulator-token\n"),
            Kubeconfig = r => KubeconfigText.For(r.Simulator, user: "tokenFile: secrets/token"),
            Kubectl = KubectlConnects,
            Plugin = PluginConnects,
        },
        new()
        {
            Name = "tokenFile missing",
            Kubeconfig = r => KubeconfigText.For(r.Simulator, user: "tokenFile: secrets/missing"),
            Kubectl = new(Outcome.Refuses, "secrets/missing: no such file or directory"),
            Plugin = new(2, 2, "tokenFile {folder}/secrets/missing cannot be read"),
        },
        new()
        {
            Name = "$KUBECONFIG: files merged, paths relative to their own file",
            Prepare = r => Task.WhenAll(
                Write(r, "a/config", KubeconfigText.For(r.Simulator, user: null, contextUser: "b-user", contextName: "merged", currentContext: null)),
                Write(r, "b/config", KubeconfigText.For(r.Simulator, user: "tokenFile: token", contextUser: "b-user", contextName: "other", server: DeadServer, currentContext: "merged")),
                Write(r, "b/token", "simulator-token")),
            KubeconfigVariable = r => $"{r.Folder}/a/config:{r.Folder}/missing:{r.Folder}/b/config",
            Kubectl = KubectlConnects,
            Plugin = PluginConnects,
        },
        new()
        {
            Name = "$KUBECONFIG: the first file wins for a repeated cluster name",
            Prepare = r => Task.WhenAll(
                Write(r, "a/config", KubeconfigText.For(r.Simulator, server: DeadServer, currentContext: null)),
                Write(r, "b/config", KubeconfigText.For(r.Simulator))),
            KubeconfigVariable = r => $"{r.Folder}/a/config:{r.Folder}/b/config",
            Kubectl = new(Outcome.Refuses, "127.0.0.1:1", "connection refused"),
            Plugin = new(0, 1, "cannot reach the Kubernetes API at https://127.0.0.1:1", "Connection refused"),
        },
        new()
        {
            Name = "exec plugin, relative command, interactiveMode Never",
            Prepare = r => Script(r, "bin/credential", $"echo '{ExecToken}'"),
            Kubeconfig = r => KubeconfigText.For(r.Simulator, user: $"exec:\n  {ExecV1}\n  command: ./bin/credential\n  interactiveMode: Never"),
            Kubectl = KubectlConnects,
            Plugin = PluginConnects,
        },
        new()
        {
            Name = "exec plugin fails",
            Prepare = r => Script(r, "credential", "echo 'cannot reach the vault' >&2\necho 'second line' >&2\nexit 3"),
            Kubeconfig = r => Exec(r, "./credential"),
            Kubectl = new(Outcome.Refuses, "exec: executable {folder}/credential failed with exit code 3"),
            Plugin = new(0, 1, "exec plugin '{folder}/credential' of user 'sim-admin' failed with exit code 3: cannot reach the vault"),
        },
        new()
        {
            Name = "exec plugin prints no JSON",
            Prepare = r => Script(r, "credential", "echo 'here is your token: simulator-token'"),
            Kubeconfig = r => Exec(r, "./credential"),
            Kubectl = new(Outcome.Refuses, "getting credentials: exec plugin"),
            Plugin = new(0, 1, "exec plugin '{folder}/credential' of user 'sim-admin' printed no usable ExecCredential: its output is not JSON"),
        },
        new()
        {
            Name = "exec plugin never answers",
            Prepare = r => Script(r, "credential", "sleep 60"),
            Kubeconfig = r => Exec(r, "./credential"),
            Options = "request_timeout = 2",
            Kubectl = new(Outcome.Hangs),
            Plugin = new(0, 1, "exec plugin '{folder}/credential' of user 'sim-admin' did not finish within 2 s ([kubernetes] request_timeout) and was stopped"),
        },
        new()
        {
            Name = "exec apiVersion v1 without interactiveMode",
            Prepare = r => Script(r, "credential", $"echo '{ExecToken}'"),
            Kubeconfig = r => KubeconfigText.For(r.Simulator, user: $"exec:\n  {ExecV1}\n  command: ./credential"),
            Kubectl = new(Outcome.Refuses, "interactiveMode must be specified for sim-admin to use exec authentication plugin"),
            Plugin = new(2, 2, "interactiveMode must be specified for sim-admin to use exec authentication plugin"),
        },
        new()
        {
            Name = "exec interactiveMode Always, no terminal",
            Prepare = r => Script(r, "credential", $"echo '{ExecToken}'"),
            Kubeconfig = r => KubeconfigText.For(r.Simulator, user: $"exec:\n  {ExecV1}\n  command: ./credential\n  interactiveMode: Always"),
            Kubectl = new(Outcome.Refuses, "exec plugin cannot support interactive mode: standard input is not a terminal"),
            Plugin = new(2, 2, "has interactiveMode: Always, which needs a terminal"),
        },
        new()
        {
            Name = "exec command missing",
            Kubeconfig = r => Exec(r, "./not-installed"),
            Kubectl = new(Outcome.Refuses, "{folder}/not-installed: no such file or directory"),
            Plugin = new(0, 1, "exec plugin '{folder}/not-installed' of user 'sim-admin' cannot be started"),
        },
        new()
        {
            Name = "auth-provider gcp",
            Kubeconfig = r => KubeconfigText.For(r.Simulator, user: "auth-provider:\n  name: gcp\n  config:\n    access-token: simulator-token"),
            Kubectl = new(Outcome.Refuses, "The gcp auth plugin has been removed", "gke-gcloud-auth-plugin"),
            Plugin = new(2, 2, "the gcp auth plugin has been removed; use the \"gke-gcloud-auth-plugin\""),
        },
        new()
        {
            Name = "auth-provider azure",
            Kubeconfig = r => KubeconfigText.For(r.Simulator, user: "auth-provider:\n  name: azure\n  config:\n    access-token: simulator-token"),
            Kubectl = new(Outcome.Refuses, "The azure auth plugin has been removed", "kubelogin"),
            Plugin = new(2, 2, "the azure auth plugin has been removed; use the https://github.com/Azure/kubelogin"),
        },
        new()
        {
            Name = "auth-provider unknown",
            Kubeconfig = r => KubeconfigText.For(r.Simulator, user: "auth-provider:\n  name: foo"),
            Kubectl = new(Outcome.Refuses, "no Auth Provider found for name \"foo\""),
            Plugin = new(2, 2, "no Auth Provider found for name \"foo\""),
        },

        // --- TLS -------------------------------------------------------------------------------
        new()
        {
            Name = "certificate for another host",
            Simulator = WrongHostCertificate,
            Kubeconfig = r => KubeconfigText.For(r.Simulator),
            Kubectl = new(Outcome.Refuses, "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs"),
            Plugin = new(0, 1, "was refused, nothing was sent to it: x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs"),
            Then = (r, _, _) => r.Simulator.Counters.Total.ShouldBe(0, "the token must never reach a server whose certificate is for another host"),
        },
        new()
        {
            Name = "tls-server-name of the certificate",
            Simulator = WrongHostCertificate,
            Kubeconfig = r => KubeconfigText.For(r.Simulator, cluster: "tls-server-name: wrong.example"),
            Kubectl = KubectlConnects,
            Plugin = PluginConnects,
        },
        new()
        {
            Name = "insecure-skip-tls-verify",
            Simulator = WrongHostCertificate,
            Kubeconfig = r => KubeconfigText.For(r.Simulator, withCa: false, cluster: "insecure-skip-tls-verify: true"),
            Kubectl = KubectlConnects,
            Plugin = new(0, 0, "cluster 'sim-cluster' has insecure-skip-tls-verify: true, so the certificate of"),
        },
        new()
        {
            Name = "insecure-skip-tls-verify next to a CA",
            Kubeconfig = r => KubeconfigText.For(r.Simulator, cluster: "insecure-skip-tls-verify: true"),
            Kubectl = new(Outcome.Refuses, "specifying a root certificates file with the insecure flag is not allowed"),
            Plugin = new(2, 2, "specifying a root certificates file with the insecure flag is not allowed"),
        },
        new()
        {
            Name = "CA of another authority",
            Prepare = r => r.StartOtherAsync(HttpsNoAuth),
            Kubeconfig = r => KubeconfigText.For(r.Simulator, withCa: false,
                cluster: $"certificate-authority-data: {KubeconfigText.Base64(SimulatorCertificates.ToPem(r.Other.Certificates!.Authority))}"),
            Kubectl = new(Outcome.Refuses, "x509: certificate signed by unknown authority"),
            Plugin = new(0, 1, "x509: certificate signed by unknown authority"),
            Then = (r, _, _) => r.Simulator.Counters.Total.ShouldBe(0),
        },

        // --- redirects -------------------------------------------------------------------------
        new()
        {
            Name = "redirect to plain http on another port",
            Prepare = r => r.StartOtherAsync(PlainHttp),
            Faults = r => [new FaultRule(FaultKind.Redirect) { Location = r.Other.BaseUrl, PathPrefix = "/" }],
            Kubeconfig = r => KubeconfigText.For(r.Simulator),
            Kubectl = KubectlConnects,
            Plugin = new(0, 1, "answered 302 Found, a redirect to {other}api/v1/nodes: not followed"),
            Divergence = "kubectl follows a redirect to another scheme or port and sends its bearer token there, in clear text over http; the plugin refuses and names the target",
            Then = (r, _, _) => r.Other.Counters.Total.ShouldBe(0),
        },
        new()
        {
            Name = "redirect on the same server",
            Faults = _ => [new FaultRule(FaultKind.Redirect) { Times = 1 }],
            Kubeconfig = r => KubeconfigText.For(r.Simulator),
            Kubectl = KubectlConnects,
            Plugin = PluginConnects,
        },

        // --- bounded, terminating reads --------------------------------------------------------
        new()
        {
            Name = "page larger than max_page_bytes",
            Faults = _ => [new FaultRule(FaultKind.OversizedBody) { Size = 3 << 20 }],
            Kubeconfig = r => KubeconfigText.For(r.Simulator),
            Options = "max_page_bytes = 1048576",
            Kubectl = KubectlConnects,
            Plugin = new(0, 1, "returned a body larger than 1 MiB ([kubernetes] max_page_bytes"),
            Divergence = "kubectl reads a page of any size into memory; the plugin stops at max_page_bytes (64 MiB by default)",
        },
        new()
        {
            Name = "huge error body",
            Faults = _ => [new FaultRule(FaultKind.OversizedErrorBody) { Size = 4 << 20 }],
            Kubeconfig = r => KubeconfigText.For(r.Simulator),
            Kubectl = new(Outcome.Refuses),
            Plugin = new(0, 1, "GET /api/v1/nodes on {server} answered 500 Internal Server Error"),
        },
        new()
        {
            Name = "continue token repeated",
            Faults = _ => [new FaultRule(FaultKind.RepeatContinueToken)],
            Kubeconfig = r => KubeconfigText.For(r.Simulator),
            Options = "page_size = 2",
            KubectlArgs = ["--chunk-size=2"],
            Kubectl = new(Outcome.Hangs),
            Plugin = new(0, 1, "page 2 returned a continue token an earlier page already returned"),
        },
        new()
        {
            Name = "new continue tokens for ever",
            Faults = _ => [new FaultRule(FaultKind.EndlessContinue)],
            Kubeconfig = r => KubeconfigText.For(r.Simulator),
            Options = "page_size = 2",
            KubectlArgs = ["--chunk-size=2"],
            Kubectl = new(Outcome.Hangs),
            Plugin = new(0, 1, "still paging after 12 pages of 2, though the first page announced 4 nodes at most"),
        },
        new()
        {
            Name = "new continue tokens for ever, no remainingItemCount",
            Faults = _ => [new FaultRule(FaultKind.EndlessContinue) { RemainingItemCount = false }],
            Kubeconfig = r => KubeconfigText.For(r.Simulator),
            Options = "page_size = 2\nsnapshot_timeout = 3",
            KubectlArgs = ["--chunk-size=2"],
            Kubectl = new(Outcome.Hangs),
            Plugin = new(0, 1, "did not complete within 3 s ([kubernetes] snapshot_timeout)"),
        },
        new()
        {
            Name = "nodes not UTF-8, without uid, with a repeated uid",
            Simulator = new() { NodeCount = 3, Https = true, Auth = SimulatorAuth.Token, InvalidNodes = true },
            Kubeconfig = r => KubeconfigText.For(r.Simulator),
            Kubectl = KubectlConnects,
            Plugin = new(0, 0, "skipped 3 of 6 nodes (1 not valid UTF-8 JSON, 1 without metadata.uid, 1 repeating another node's uid)"),
        },
    ];

    private static string Exec(ParityRow row, string command) =>
        KubeconfigText.For(row.Simulator, user: $"exec:\n  {ExecV1}\n  command: {command}\n  interactiveMode: Never");

    private static Task Write(ParityRow row, string name, string text)
    {
        row.Cluster.WriteFile(name, text);
        return Task.CompletedTask;
    }

    private static Task Script(ParityRow row, string name, string body)
    {
        row.Cluster.WriteScript(name, body);
        return Task.CompletedTask;
    }
}
