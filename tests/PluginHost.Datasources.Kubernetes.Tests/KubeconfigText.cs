using System.Text;
using PluginHost.KubeApiSimulator;

namespace PluginHost.Datasources.Kubernetes.Tests;

/// <summary>
/// Kubeconfig files of every form kubectl reads, written for a running simulator: one cluster,
/// one context and at most one user, with the pieces a test varies given as YAML lines.
/// </summary>
internal static class KubeconfigText
{
    public const string Token = "token: simulator-token";

    /// <param name="simulator">The server (and its CA when it serves HTTPS).</param>
    /// <param name="user">The lines under <c>user:</c> (e.g. <see cref="Token"/>); "{}" for a user without credentials; null for no users at all.</param>
    /// <param name="cluster">Extra lines under <c>cluster:</c> (tls-server-name, insecure-skip-tls-verify, ...).</param>
    /// <param name="withCa">Whether to write the simulator's CA as certificate-authority-data.</param>
    /// <param name="contextUser">The user the context names; null for a context without user.</param>
    /// <param name="server">Another server URL than the simulator's.</param>
    public static string For(
        KubeApiSimulator.KubeApiSimulator simulator, string? user = Token, string cluster = "", bool withCa = true,
        string? contextUser = "sim-admin", string? server = null, string clusterName = "sim-cluster", string contextName = "sim",
        string? currentContext = "sim")
    {
        ArgumentNullException.ThrowIfNull(simulator);
        var text = new StringBuilder();
        text.AppendLine("apiVersion: v1");
        text.AppendLine("kind: Config");
        text.AppendLine("clusters:");
        text.AppendLine($"- name: {clusterName}");
        text.AppendLine("  cluster:");
        text.AppendLine($"    server: {server ?? simulator.BaseUrl.ToString().TrimEnd('/')}");
        if (withCa && simulator.Certificates is { } pki)
        {
            text.AppendLine($"    certificate-authority-data: {Base64(SimulatorCertificates.ToPem(pki.Authority))}");
        }

        AppendIndented(text, cluster, "    ");
        text.AppendLine("contexts:");
        text.AppendLine($"- name: {contextName}");
        text.AppendLine("  context:");
        text.AppendLine($"    cluster: {clusterName}");
        if (contextUser is not null)
        {
            text.AppendLine($"    user: {contextUser}");
        }

        if (currentContext is not null)
        {
            text.AppendLine($"current-context: {currentContext}");
        }

        if (user is not null)
        {
            text.AppendLine("users:");
            text.AppendLine($"- name: {contextUser ?? "sim-admin"}");
            if (user == "{}")
            {
                text.AppendLine("  user: {}");
            }
            else
            {
                text.AppendLine("  user:");
                AppendIndented(text, user, "    ");
            }
        }

        return text.ToString();
    }

    /// <summary>The lines of a client certificate user for the simulator's PKI.</summary>
    public static string ClientCertificate(KubeApiSimulator.KubeApiSimulator simulator)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        var pki = simulator.Certificates ?? throw new InvalidOperationException("the simulator serves no HTTPS");
        return $"client-certificate-data: {Base64(SimulatorCertificates.ToPem(pki.Client))}\nclient-key-data: {Base64(SimulatorCertificates.PrivateKeyPem(pki.Client))}";
    }

    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static void AppendIndented(StringBuilder text, string lines, string indent)
    {
        foreach (var line in lines.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            text.Append(indent).AppendLine(line.TrimEnd('\r'));
        }
    }
}
