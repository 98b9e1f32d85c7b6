using System.Text;

namespace PluginHost.KubeApiSimulator;

/// <summary>Writes a kubeconfig that points kubectl or KubernetesClient at a running simulator.</summary>
public static class KubeconfigWriter
{
    public static string Render(KubeApiSimulator simulator, string? token = null, bool clientCertificate = false)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        var options = simulator.Options;
        var text = new StringBuilder();
        text.AppendLine("apiVersion: v1");
        text.AppendLine("kind: Config");
        text.AppendLine("clusters:");
        text.AppendLine($"- name: {options.ClusterName}");
        text.AppendLine("  cluster:");
        text.AppendLine($"    server: {simulator.BaseUrl.ToString().TrimEnd('/')}");
        if (simulator.Certificates is { } certificates)
        {
            text.AppendLine($"    certificate-authority-data: {Base64(SimulatorCertificates.ToPem(certificates.Authority))}");
        }

        text.AppendLine("contexts:");
        text.AppendLine($"- name: {options.ContextName}");
        text.AppendLine("  context:");
        text.AppendLine($"    cluster: {options.ClusterName}");
        text.AppendLine($"    user: {options.UserName}");
        text.AppendLine($"current-context: {options.ContextName}");
        text.AppendLine("users:");
        text.AppendLine($"- name: {options.UserName}");
        text.AppendLine("  user:");
        var useCertificate = clientCertificate || (options.Auth == SimulatorAuth.ClientCertificate && token is null);
        if (useCertificate && simulator.Certificates is { } pki)
        {
            text.AppendLine($"    client-certificate-data: {Base64(SimulatorCertificates.ToPem(pki.Client))}");
            text.AppendLine($"    client-key-data: {Base64(SimulatorCertificates.PrivateKeyPem(pki.Client))}");
        }
        else
        {
            text.AppendLine($"    token: {token ?? options.Token}");
        }

        return text.ToString();
    }

    public static async Task WriteAsync(KubeApiSimulator simulator, string path, string? token = null, bool clientCertificate = false)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        await File.WriteAllTextAsync(path, Render(simulator, token, clientCertificate)).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
