using System.Text.Json;
using PluginHost.Tests.Operations;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Templates;

/// <summary>
/// docs/writing-a-datasource.md, done as it says from a clean folder: the packages packed into a
/// local feed, the template installed and used, its tests run, the plugin published into a host's
/// plugins folder, and the host listing it and reporting its entities.
/// </summary>
public sealed class TemplateGuideTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Guide_FromDotnetNewToAHostsPluginsFolder_Works()
    {
        using var temp = new TempFolder();
        var feed = temp.Combine("feed");
        var work = temp.Combine("work");
        Directory.CreateDirectory(work);

        // The template engine's registry and the restored PluginHost packages stay in the test's
        // folder; the packages the machine already has (xunit, ...) are read from its cache, never written.
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_CLI_HOME"] = temp.Combine("home"),
            ["NUGET_PACKAGES"] = temp.Combine("packages"),
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        File.WriteAllText(Path.Combine(work, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        var userCache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(work, "Directory.Build.props"), $"""
            <Project>
              <PropertyGroup><RestoreAdditionalProjectFallbackFolders>{userCache}</RestoreAdditionalProjectFallbackFolders></PropertyGroup>
            </Project>
            """);

        foreach (var project in new[] { "contracts/PluginHost.Contracts", "tools/PluginHost.Testing", "templates/PluginHost.Templates" })
        {
            await Dotnet(environment, work, "pack", Path.Combine(TestRepository.Root, project), "-c", "Release", "-o", feed, "-p:PluginHostOutputDir=none");
        }

        await Dotnet(environment, work, "new", "install", Directory.GetFiles(feed, "PluginHost.Templates.*.nupkg").Single());
        await Dotnet(environment, work, "new", "pluginhost-datasource", "-n", "Acme.Datasources.Weather");
        var solution = Path.Combine(work, "Acme.Datasources.Weather");
        var test = await Dotnet(environment, solution, "test", "Acme.Datasources.Weather.Tests");
        test.ShouldContain("Passed!");

        var plugins = temp.Combine("host", "plugins");
        await Dotnet(environment, solution, "publish", "Acme.Datasources.Weather", "-c", "Release", "-o", Path.Combine(plugins, "Acme.Datasources.Weather"));
        File.Exists(Path.Combine(plugins, "Acme.Datasources.Weather", "PluginHost.Contracts.dll")).ShouldBeFalse(); // the host's copy is the one
        var things = temp.File("things.json", """[{"id":"w1","name":"rain","state":"down","instance_id":"vm-9"}]""");
        var config = temp.File("pluginhost.conf", $"[datasources]\nplugin_path = {plugins}\n[weather]\nsource_file = {things}\n");

        var listed = await HostProcess.RunAsync("plugins", "--config-file", config);
        listed.ExitCode.ShouldBe(0, listed.Stderr);
        listed.Stdout.ShouldContain("weather 0.1.0 (enabled)");
        listed.Stdout.ShouldContain("entity types: weather.thing");
        var snapshot = await HostProcess.RunAsync("snapshot", "--config-file", config, "--format", "json");
        snapshot.ExitCode.ShouldBe(0, snapshot.Stderr);
        var nodes = JsonDocument.Parse(snapshot.Stdout).RootElement.GetProperty("nodes").EnumerateArray().ToList();
        nodes.Select(n => $"{n.GetProperty("vitrage_type").GetString()}:{n.GetProperty("id").GetString()}").Order()
            .ShouldBe(["nova.instance:vm-9", "weather.thing:w1"]);
        var thing = nodes.Single(n => n.GetProperty("id").GetString() == "w1");
        thing.GetProperty("vitrage_datasource_name").GetString().ShouldBe("weather");
        // The template's datasources_values/weather.thing.yaml, published with the plugin, gives the state.
        thing.GetProperty("vitrage_operational_state").GetString().ShouldBe("ERROR");
    }

    private static async Task<string> Dotnet(IReadOnlyDictionary<string, string> environment, string folder, params string[] arguments)
    {
        var (exitCode, output) = await PublishedInstall.RunAsync("dotnet", arguments, Step, environment, folder);
        exitCode.ShouldBe(0, $"dotnet {string.Join(' ', arguments)}:\n{output}");
        return output;
    }
}
