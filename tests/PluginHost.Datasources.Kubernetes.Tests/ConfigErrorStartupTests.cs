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
        var plugins = temp.Combine("plugins");
        temp.DropPlugin(plugins, Path.Combine(TestRepository.HostPluginFolder, "PluginHost.Datasources.Kubernetes"));
        var folder = Directory.CreateDirectory(temp.Combine("not-a-kubeconfig")).FullName;
        var config = temp.File("vitrage.conf", $"""
            [datasources]
            types = kubernetes
            plugin_path = {plugins}
            [entity_graph]
            datasources_values_dir = {temp.Combine("no-operator-values")}
            [kubernetes]
            config_file = {folder}
            """);

        var result = await HostProcess.RunAsync(["check-config", "--config-file", config]);

        result.ExitCode.ShouldBe(2, result.Stderr);
        result.Stderr.ShouldContain($"error: [kubernetes] config_file {folder} is a folder, not a kubeconfig file", Case.Sensitive);
        result.Stderr.ShouldNotContain("[kubernetes] [kubernetes]", Case.Sensitive);
    }
}
