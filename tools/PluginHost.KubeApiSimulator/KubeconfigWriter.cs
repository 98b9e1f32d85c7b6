using System.Text;

namespace PluginHost.KubeApiSimulator;

/// <summary>Writes a kubeconfig that points kubectl or KubernetesClient at a running simulator.</summary>
public static class KubeconfigWriter
{
    public static string Render(KubeApiSimulator simulator, string? token = null, bool clientCertificate = false) =>
        Render([simulator], token, clientCertificate);

    /// <summary>
    /// One kubeconfig for several simulators (a host reading several clusters): a cluster, a
    /// context and a user for each, named by its options (which must differ); the current-context
    /// is the first one's.
    /// </summary>
    public static string Render(IReadOnlyList<KubeApiSimulator> simulators, string? token = null, bool clientCertificate = false)
    {
        ArgumentNullException.ThrowIfNull(simulators);
        ArgumentOutOfRangeException.ThrowIfZero(simulators.Count);
        var text = new StringBuilder();
        text.AppendLine("apiVersion: v1");
        text.AppendLine("kind: Config");
        text.AppendLine("clusters:");
        foreach (var simulator in simulators)
        {
            text.AppendLine($"- name: {simulator.Options.ClusterName}");
            text.AppendLine("  cluster:");
            text.AppendLine($"    server: {simulator.BaseUrl.ToString().TrimEnd('/')}");
            if (simulator.Certificates is { } certificates)
            {
                text.AppendLine($"    certificate-authority-data: {Base64(SimulatorCertificates.ToPem(certificates.Authority))}");
            }
        }

        text.AppendLine("contexts:");
        foreach (var simulator in simulators)
        {
            text.AppendLine($"- name: {simulator.Options.ContextName}");
            text.AppendLine("  context:");
            text.AppendLine($"    cluster: {simulator.Options.ClusterName}");
            text.AppendLine($"    user: {simulator.Options.UserName}");
        }

        text.AppendLine($"current-context: {simulators[0].Options.ContextName}");
        text.AppendLine("users:");
        foreach (var simulator in simulators)
        {
            var options = simulator.Options;
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
        }

        return text.ToString();
    }

    public static Task WriteAsync(KubeApiSimulator simulator, string path, string? token = null, bool clientCertificate = false) =>
        WriteAsync([simulator], path, token, clientCertificate);

    /// <summary>Writes <see cref="Render(IReadOnlyList{KubeApiSimulator}, string?, bool)"/> to <paramref name="path"/> (mode 600).</summary>
    public static async Task WriteAsync(IReadOnlyList<KubeApiSimulator> simulators, string path, string? token = null, bool clientCertificate = false)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        await File.WriteAllTextAsync(path, Render(simulators, token, clientCertificate)).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
