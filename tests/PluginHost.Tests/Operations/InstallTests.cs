using System.Text.Json;
using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Operations;

/// <summary>The install an operator deploys: the published folder, and the Debian package made from it.</summary>
public sealed class InstallTests(PublishedInstall install) : IClassFixture<PublishedInstall>
{
    private static readonly string[] Plugins = ["PluginHost.Datasources.Kubernetes", "PluginHost.Datasources.Notifications", "PluginHost.Datasources.Static"];

    [Fact]
    public async Task Publish_ForLinuxX64_IsACompleteInstallThatRunsFromItsFolder()
    {
        install.PublishExitCode.ShouldBe(0, install.PublishLog);
        foreach (var plugin in Plugins)
        {
            File.Exists(Path.Combine(install.Folder, "plugins", plugin, plugin + ".dll")).ShouldBeTrue(plugin);
            File.Exists(Path.Combine(install.Folder, "plugins", plugin, "PluginHost.Contracts.dll")).ShouldBeFalse(plugin); // shared with the host
        }

        Directory.GetFiles(install.Folder, "*Simulator*", SearchOption.AllDirectories).ShouldBeEmpty(); // no test tools
        Directory.GetFiles(install.Folder, "*Demo*", SearchOption.AllDirectories).ShouldBeEmpty();
        File.Exists(Path.Combine(install.Folder, "etc", "vitrage.conf")).ShouldBeTrue();
        File.Exists(Path.Combine(install.Folder, "etc", "systemd", "pluginhost.service")).ShouldBeTrue();
        File.Exists(Path.Combine(install.Folder, "etc", "kubernetes", "pluginhost.yaml")).ShouldBeTrue();
        File.Exists(Path.Combine(install.Folder, "libcoreclr.so")).ShouldBeTrue(); // self-contained: no runtime to install

        await using var cluster = await KubeApiSimulator.KubeApiSimulator.StartAsync(
            new SimulatorOptions { NodeCount = 30, Https = true, Auth = SimulatorAuth.Token }, TestContext.Current.CancellationToken);
        using var temp = new TempFolder();
        var kubeconfig = temp.Combine("kubeconfig");
        await cluster.WriteKubeconfigAsync(kubeconfig);
        var config = temp.File("pluginhost.conf", $"[datasources]\ntypes = kubernetes\n[kubernetes]\nconfig_file = {kubeconfig}\n");

        var (pluginsExit, plugins) = await PublishedInstall.RunAsync(install.Host, ["plugins", "--config-file", config], TimeSpan.FromMinutes(1));
        pluginsExit.ShouldBe(0, plugins);
        plugins.ShouldContain($"Plugin path: {Path.Combine(install.Folder, "plugins")}");
        plugins.ShouldContain("kubernetes 0.1.0 (enabled)");
        plugins.ShouldContain("static 0.1.0");
        plugins.ShouldContain("notifications 0.1.0");

        var (checkExit, check) = await PublishedInstall.RunAsync(install.Host, ["check-config", "--config-file", config], TimeSpan.FromMinutes(1));
        checkExit.ShouldBe(0, check);

        var snapshot = await PublishedInstall.RunAsync(install.Host, ["snapshot", "--config-file", config, "--format", "json"], TimeSpan.FromMinutes(1));
        snapshot.ExitCode.ShouldBe(0, snapshot.Output);
        var json = snapshot.Output[..(snapshot.Output.LastIndexOf('}') + 1)]; // stdout first, then the log lines of stderr
        JsonDocument.Parse(json).RootElement.GetProperty("nodes").EnumerateArray()
            .Count(n => n.GetProperty("vitrage_type").GetString() == "kubernetes.node").ShouldBe(30);
    }

    [Fact]
    public async Task DebianPackage_InstalledIntoAThrowawayRoot_RunsAndPurgesCleanly()
    {
        install.PublishExitCode.ShouldBe(0, install.PublishLog);
        if (Environment.UserName != "root" || !File.Exists("/usr/bin/dpkg-deb") || !File.Exists("/usr/sbin/useradd"))
        {
            Assert.Skip("needs root, dpkg-deb and useradd (a throwaway root's passwd is written with useradd --root)");
        }

        using var temp = new TempFolder();
        var (buildExit, build) = await PublishedInstall.RunAsync("bash",
            [Path.Combine(TestRepository.Root, "scripts", "package-deb.sh"), temp.Combine("deb")], TimeSpan.FromMinutes(3),
            // The quickest xz level: dpkg-deb's default took 45 of this test's 60 s, and what is checked
            // here (the files, the maintainer scripts, install and purge) does not depend on it.
            new Dictionary<string, string> { ["PLUGINHOST_INSTALL"] = install.Folder, ["PLUGINHOST_DEB_COMPRESSION_LEVEL"] = "1" });
        buildExit.ShouldBe(0, build);
        var package = Directory.GetFiles(temp.Combine("deb"), "pluginhost_*_amd64.deb").ShouldHaveSingleItem();
        var root = ThrowawayRoot(temp.Combine("root"));

        var (installExit, installed) = await Dpkg(root, "-i", package);
        installExit.ShouldBe(0, installed);
        new FileInfo(Path.Combine(root, "usr", "bin", "pluginhost")).LinkTarget.ShouldBe("/usr/lib/pluginhost/PluginHost");
        File.Exists(Path.Combine(root, "etc", "pluginhost", "pluginhost.conf")).ShouldBeTrue();
        File.Exists(Path.Combine(root, "lib", "systemd", "system", "pluginhost.service")).ShouldBeTrue();
        File.ReadAllText(Path.Combine(root, "etc", "passwd")).ShouldContain("pluginhost:x:");
        Directory.Exists(Path.Combine(root, "var", "lib", "pluginhost")).ShouldBeTrue();
        var (pluginsExit, plugins) = await PublishedInstall.RunAsync(Path.Combine(root, "usr", "lib", "pluginhost", "PluginHost"),
            ["plugins", "--config-dir", temp.Combine("root", "var", "lib", "pluginhost")], TimeSpan.FromMinutes(1));
        pluginsExit.ShouldBe(0, plugins);
        plugins.ShouldContain("kubernetes 0.1.0");

        var (purgeExit, purged) = await Dpkg(root, "--purge", "pluginhost");
        purgeExit.ShouldBe(0, purged);
        Directory.Exists(Path.Combine(root, "usr", "lib", "pluginhost")).ShouldBeFalse();
        Directory.Exists(Path.Combine(root, "etc", "pluginhost")).ShouldBeFalse();
        Directory.Exists(Path.Combine(root, "var", "lib", "pluginhost")).ShouldBeFalse();
        File.Exists(Path.Combine(root, "usr", "bin", "pluginhost")).ShouldBeFalse();
        File.ReadAllText(Path.Combine(root, "etc", "passwd")).ShouldNotContain("pluginhost");
    }

    // An empty root with a dpkg database and the account files useradd --root edits.
    private static string ThrowawayRoot(string root)
    {
        foreach (var folder in new[] { "var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers", "etc", "var/log" })
        {
            Directory.CreateDirectory(Path.Combine(root, folder));
        }

        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/status"), string.Empty);
        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/available"), string.Empty);
        File.WriteAllText(Path.Combine(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        File.WriteAllText(Path.Combine(root, "etc/group"), "root:x:0:\n");
        File.WriteAllText(Path.Combine(root, "etc/shadow"), "root:*:19000:0:99999:7:::\n");
        File.WriteAllText(Path.Combine(root, "etc/gshadow"), "root:*::\n");
        return root;
    }

    // The throwaway root has no libc package: dependencies are the machine's, hence --force-depends.
    private static Task<(int ExitCode, string Output)> Dpkg(string root, params string[] arguments) =>
        PublishedInstall.RunAsync("dpkg", [$"--root={root}", "--force-script-chrootless", "--force-depends", "--log=/dev/null", .. arguments], TimeSpan.FromMinutes(2));
}
