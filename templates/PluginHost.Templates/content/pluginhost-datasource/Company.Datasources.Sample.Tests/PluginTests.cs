using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Contracts;
using PluginHost.Testing;

namespace Company.Datasources.Sample.Tests;

/// <summary>The built plugin, loaded by the host's own loader, reading a fake source.</summary>
public sealed class PluginTests
{
    private static readonly string PluginFolder =
        typeof(PluginTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PluginFolder").Value!;

    private static async Task<List<DatasourceEvent>> ListAsync(IDatasourceDriver driver)
    {
        var events = new List<DatasourceEvent>();
        await foreach (var e in driver.GetAllAsync(DatasourceAction.Snapshot, TestContext.Current.CancellationToken))
        {
            events.Add(e);
        }

        return events;
    }

    [Fact]
    public async Task Load_BuiltPlugin_LoadsInTheHostAndReportsTheSource()
    {
        using var source = new FakeSource("""[{"id":"t1","name":"one","instance_id":"vm-1"},{"id":"t2","name":"two","state":"down"}]""");
        using var loaded = HostPluginLoader.Load(PluginFolder);
        var settings = TestSettings.For(loaded.Plugin, new Dictionary<string, string> { ["source_file"] = source.Path });

        await using var driver = loaded.Plugin.CreateDriver(new DatasourceContext("mysource", settings, NullLogger.Instance, TimeProvider.System));
        var events = await ListAsync(driver);
        var transformers = loaded.Plugin.CreateTransformers(settings);

        loaded.Plugin.Name.ShouldBe("mysource");
        events.Select(e => transformers[e.EntityType].Transform(e).Vertex.Key).ShouldBe(["RESOURCE:mysource.thing:t1", "RESOURCE:mysource.thing:t2"]);
    }

    [Theory]
    [InlineData("no source file", "")]
    [InlineData("a source file that does not exist", "/nonexistent/things.json")]
    public void CreateDriver_UnusableSourceFile_IsAConfigurationError(string name, string sourceFile)
    {
        using var loaded = HostPluginLoader.Load(PluginFolder);
        var settings = TestSettings.For(loaded.Plugin, new Dictionary<string, string> { ["source_file"] = sourceFile });

        Should.Throw<DatasourceConfigurationException>(() => loaded.Plugin.CreateDriver(new DatasourceContext("mysource", settings, NullLogger.Instance, TimeProvider.System)))
            .Message.ShouldContain("source_file", Case.Sensitive, name);
    }

    [Fact]
    public async Task GetAll_SourceThatIsNotJson_FailsTheSnapshotSayingWhere()
    {
        using var source = new FakeSource("[{ oops");
        using var loaded = HostPluginLoader.Load(PluginFolder);
        var settings = TestSettings.For(loaded.Plugin, new Dictionary<string, string> { ["source_file"] = source.Path });
        await using var driver = loaded.Plugin.CreateDriver(new DatasourceContext("mysource", settings, NullLogger.Instance, TimeProvider.System));

        var error = await Should.ThrowAsync<DatasourceException>(() => ListAsync(driver));

        error.Message.ShouldStartWith($"{source.Path} is not valid JSON");
    }
}
