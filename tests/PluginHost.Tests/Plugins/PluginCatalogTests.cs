using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Contracts;
using PluginHost.Plugins;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Plugins;

public sealed class PluginCatalogTests
{
    private static string Built(string name) => TestRepository.TestPluginOutput("PluginHost.TestPlugins." + name);

    [Fact]
    public async Task Discover_PluginDroppedIntoFolder_LoadsAndRunsWithItsOwnDependencyVersion()
    {
        using var temp = new TempFolder();
        var plugins = temp.Combine("plugins");
        temp.DropPlugin(plugins, Built("Echo"));
        var entities = temp.File("entities", "a\n");
        using var catalog = PluginCatalog.Discover([plugins]);

        var plugin = catalog.Plugins.ShouldHaveSingleItem();
        plugin.Name.ShouldBe("echo");
        plugin.Version.ShouldBe("2.3.4");
        plugin.Folder.ShouldBe(Path.Combine(plugins, "PluginHost.TestPlugins.Echo"));
        var events = await EchoEventsAsync(plugin, entities);

        var properties = events.ShouldHaveSingleItem().Properties;
        var hostScriban = typeof(Scriban.Template).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        properties.GetProperty("scriban_version").GetString().ShouldStartWith("7.2.1");
        properties.GetProperty("scriban_context").GetString().ShouldBe("PluginHost.TestPlugins.Echo");
        hostScriban.ShouldStartWith("7.5.3");
    }

    /// <summary>
    /// A dependency whose file is the host's own (the same package version: the Kubernetes plugin's
    /// YamlDotNet) is loaded once, from the host's context, not a second time beside it.
    /// </summary>
    [Fact]
    public async Task Discover_PluginShipsAFileIdenticalToTheHosts_UsesTheHostsAssembly()
    {
        using var temp = new TempFolder();
        var plugins = temp.Combine("plugins");
        var folder = temp.DropPlugin(plugins, Built("Echo"));
        var hostScriban = typeof(Scriban.Template).Assembly;
        var pluginCopy = Directory.GetFiles(folder, "Scriban*.dll").ShouldHaveSingleItem();
        Path.GetFileName(pluginCopy).ShouldBe(Path.GetFileName(hostScriban.Location));
        File.Copy(hostScriban.Location, pluginCopy, overwrite: true);
        using var catalog = PluginCatalog.Discover([plugins]);

        var events = await EchoEventsAsync(catalog.Plugins.ShouldHaveSingleItem(), temp.File("entities", "a\n"));

        var properties = events.ShouldHaveSingleItem().Properties;
        properties.GetProperty("scriban_version").GetString().ShouldStartWith("7.5.3");
        properties.GetProperty("scriban_context").GetString().ShouldBe("Default");
    }

    [Fact]
    public void Discover_BrokenDll_IsReportedAndOtherPluginsStillLoad()
    {
        using var temp = new TempFolder();
        var plugins = temp.Combine("plugins");
        temp.DropPlugin(plugins, Built("Echo"));
        var broken = temp.File("plugins/Broken/Broken.dll", "this is not a PE file");
        using var catalog = PluginCatalog.Discover([plugins]);

        catalog.Plugins.Select(p => p.Name).ShouldBe(["echo"]);
        var error = catalog.Errors.ShouldHaveSingleItem();
        error.Path.ShouldBe(broken);
        error.Message.ShouldStartWith("not a loadable .NET assembly (BadImageFormatException");
    }

    [Fact]
    public void Discover_DllWithoutPlugin_IsReportedAndOtherPluginsStillLoad()
    {
        using var temp = new TempFolder();
        var plugins = temp.Combine("plugins");
        temp.DropPlugin(plugins, Built("Echo"));
        temp.DropPlugin(plugins, Built("NotAPlugin"));
        using var catalog = PluginCatalog.Discover([plugins]);

        catalog.Plugins.Select(p => p.Name).ShouldBe(["echo"]);
        catalog.Errors.ShouldHaveSingleItem().Message.ShouldBe(
            "no public class implements PluginHost.Contracts.IDatasourcePlugin; is it built against PluginHost.Contracts?");
    }

    [Fact]
    public void Discover_TwoPluginsWithTheSameName_KeepsTheFirstAndNamesBothFolders()
    {
        using var temp = new TempFolder();
        var plugins = temp.Combine("plugins");
        var first = temp.DropPlugin(plugins, Built("Echo"));
        var twin = temp.DropPlugin(plugins, Built("EchoTwin"));
        using var catalog = PluginCatalog.Discover([plugins]);

        catalog.Plugins.ShouldHaveSingleItem().Folder.ShouldBe(first);
        var error = catalog.Errors.ShouldHaveSingleItem();
        error.Path.ShouldBe(Path.Combine(twin, "PluginHost.TestPlugins.EchoTwin.dll"));
        error.Message.ShouldBe($"a plugin named 'echo' is already loaded from {Path.Combine(first, "PluginHost.TestPlugins.Echo.dll")}; this one is skipped");
    }

    [Theory]
    [InlineData("a newer major", "NewerMajor", "2.0.0")]
    [InlineData("a newer minor", "NewerMinor", "1.9.0")]
    public void Discover_PluginBuiltAgainstIncompatibleContracts_IsRefusedNamingBothVersions(string name, string plugin, string built)
    {
        using var temp = new TempFolder();
        var plugins = temp.Combine("plugins");
        temp.DropPlugin(plugins, Built(plugin));
        temp.DropPlugin(plugins, Built("Echo"));

        using var catalog = PluginCatalog.Discover([plugins]);

        catalog.Plugins.Select(p => p.Name).ShouldBe(["echo"], name); // the others still load
        var error = catalog.Errors.ShouldHaveSingleItem(name);
        error.Path.ShouldEndWith($"PluginHost.TestPlugins.{plugin}.dll", Case.Sensitive, name);
        error.Message.ShouldStartWith($"built against PluginHost.Contracts {built}, but this host has {PluginCatalog.HostContractsVersion.ToString(3)}", Case.Sensitive, name);
    }

    [Fact]
    public void Discover_MissingFolder_IsReported()
    {
        using var catalog = PluginCatalog.Discover(["/nonexistent/plugins"]);

        catalog.Plugins.ShouldBeEmpty();
        catalog.Errors.ShouldHaveSingleItem().ToString().ShouldBe("/nonexistent/plugins: plugin folder not found");
    }

    [Fact]
    public void Discover_RealPluginsFolder_LoadsTheKubernetesPluginWithoutTheHostReferencingIt()
    {
        using var catalog = PluginCatalog.Discover([TestRepository.HostPluginFolder]);

        catalog.Errors.ShouldBeEmpty();
        var kubernetes = catalog.Find("kubernetes").ShouldNotBeNull();
        var settings = new DatasourceSettings(new Dictionary<string, object?> { ["include_annotations"] = false, ["instance_id_from_system_uuid"] = false, ["alarms_file"] = "" });
        kubernetes.Instance.CreateTransformers(settings).Keys.ShouldBe(["kubernetes", "kubernetes.node"], ignoreOrder: true);
        AppDomain.CurrentDomain.GetAssemblies().ShouldNotContain(a => a.GetName().Name == "KubernetesClient" && IsDefaultContext(a));
        File.Exists(Path.Combine(TestRepository.HostFolder, "KubernetesClient.dll")).ShouldBeFalse();
    }

    private static async Task<List<DatasourceEvent>> EchoEventsAsync(LoadedPlugin plugin, string entities)
    {
        await using var driver = plugin.Instance.CreateDriver(new DatasourceContext("echo",
            new DatasourceSettings(new Dictionary<string, object?> { ["entities_file"] = entities, ["fail_on_create"] = false, ["reject_config"] = false, ["create_delay_ms"] = 0L, ["line_delay_ms"] = 0L, ["close_delay_ms"] = 0L, ["fail_on_close"] = false }),
            NullLogger.Instance, TimeProvider.System));
        var events = new List<DatasourceEvent>();
        await foreach (var e in driver.GetAllAsync(DatasourceAction.Snapshot, CancellationToken.None))
        {
            events.Add(e);
        }

        return events;
    }

    private static bool IsDefaultContext(Assembly assembly) =>
        System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(assembly) == System.Runtime.Loader.AssemblyLoadContext.Default;
}
