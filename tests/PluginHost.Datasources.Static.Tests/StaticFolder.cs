using PluginHost.Contracts;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Static.Tests;

/// <summary>A static_datasources folder and a driver reading it.</summary>
internal sealed class StaticFolder : IAsyncDisposable
{
    public const string VitrageSample = """
        metadata:
          name: switches and router
          description: the Vitrage sample
        definitions:
          entities:
            - static_id: s1
              type: switch
              id: '12345'
              name: switch-1
              state: available
            - static_id: s2
              type: switch
              id: '23456'
              name: switch-2
              state: available
            - static_id: r1
              type: router
              id: '34567'
              name: router-1
              state: available
              vendor: acme
              ports: 48
            - static_id: h1
              type: nova.host
              id: compute-1
              name: compute-1
          relationships:
            - source: s1
              target: h1
              relationship_type: attached
            - source: s2
              target: h1
              relationship_type: attached
            - source: r1
              target: s1
              relationship_type: attached
        """;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("static-test-");

    public StaticFolder()
    {
        Driver = (StaticDriver)new StaticDatasourcePlugin().CreateDriver(Context(Path, Logger));
    }

    public string Path => _folder.FullName;

    public CapturingLogger Logger { get; } = new();

    public StaticDriver Driver { get; }

    public static DatasourceContext Context(string directory, CapturingLogger logger) => new(
        "static",
        new DatasourceSettings(new Dictionary<string, object?> { ["directory"] = directory, ["update_method"] = "pull", ["changes_interval"] = 30L }),
        logger,
        TimeProvider.System);

    public string Write(string name, string text)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Delete(string name) => File.Delete(System.IO.Path.Combine(Path, name));

    public async Task<List<DatasourceEvent>> GetAllAsync()
    {
        var events = new List<DatasourceEvent>();
        await foreach (var e in Driver.GetAllAsync(DatasourceAction.Snapshot, TestContext.Current.CancellationToken))
        {
            events.Add(e);
        }

        return events;
    }

    public async Task<List<DatasourceEvent>> GetChangesAsync()
    {
        var events = new List<DatasourceEvent>();
        await foreach (var e in Driver.GetChangesAsync(TestContext.Current.CancellationToken))
        {
            events.Add(e);
        }

        return events;
    }

    public ValueTask DisposeAsync()
    {
        _folder.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}
