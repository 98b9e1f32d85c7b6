using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests;

/// <summary>The plugin's own configuration errors as check-config prints them through the built host.</summary>
public sealed class ConfigErrorStartupTests
{
    // Found by a hostile test (stop 39): the host prefixed the section the plugin's message already
    // named, "error: [kubernetes] [kubernetes] config_file ... is a folder".
    [Fact]
    public async Task CheckConfig_ConfigFileIsAFolder_ErrorNamesTheSectionOnce()
    {
        using var temp = new TempFolder();
        var folder = Directory.CreateDirectory(temp.Combine("not-a-kubeconfig")).FullName;
        var config = WriteConfig(temp, $"config_file = {folder}");

        var result = await HostProcess.RunAsync(["check-config", "--config-file", config]);

        result.ExitCode.ShouldBe(2, result.Stderr);
        result.Stderr.ShouldContain($"error: [kubernetes] config_file {folder} is a folder, not a kubeconfig file", Case.Sensitive);
        result.Stderr.ShouldNotContain("[kubernetes] [kubernetes]", Case.Sensitive);
    }

    // case, the option's line; the line under it is an option indented by mistake, which oslo reads
    // as part of the value above. Before, the plugin got the value whole and quoted it ("has no
    // context 'prod\npassword = ...'") or used it (a cluster named after a password).
    [Theory]
    [InlineData("context", "context = prod")]
    [InlineData("contexts", "contexts = prod")]
    [InlineData("cluster_name", "cluster_name = edge")]
    public async Task CheckConfig_OptionIndentedUnderAnother_ErrorNamesTheLineNotTheSecret(string name, string line)
    {
        using var temp = new TempFolder();
        var kubeconfig = temp.File("kubeconfig", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: http://127.0.0.1:9
            contexts:
            - name: prod
              context:
                cluster: c
            current-context: prod
            """);
        var config = WriteConfig(temp, $"config_file = {kubeconfig}\n{line}\n    password = S3cr3t-Pa55");

        var result = await HostProcess.RunAsync(["check-config", "--config-file", config]);

        result.ExitCode.ShouldBe(2, name + ": " + result.Stderr);
        var (key, first) = (line.Split(" = ")[0], line.Split(" = ")[1]);
        result.Stderr.ShouldContain($"{config}:8: [kubernetes] {key} = '{first}' (and 1 continuation line, not shown: it may hold a secret): expected ", Case.Sensitive, name);
        result.Stderr.ShouldNotContain("S3cr3t", Case.Sensitive, name);
    }

    // The Kubernetes plugin alone, and the [kubernetes] section's lines from line 7 on.
    private static string WriteConfig(TempFolder temp, string kubernetesLines)
    {
        var plugins = temp.Combine("plugins");
        temp.DropPlugin(plugins, Path.Combine(TestRepository.HostPluginFolder, "PluginHost.Datasources.Kubernetes"));
        return temp.File("vitrage.conf", $"""
            [datasources]
            types = kubernetes
            plugin_path = {plugins}
            [entity_graph]
            datasources_values_dir = {temp.Combine("no-operator-values")}
            [kubernetes]
            {kubernetesLines}
            """);
    }
}
