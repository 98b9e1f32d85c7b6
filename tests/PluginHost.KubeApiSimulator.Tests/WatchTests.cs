using System.Text.Json;

namespace PluginHost.KubeApiSimulator.Tests;

public sealed class WatchTests
{
    private static async Task<List<JsonElement>> ReadEventsAsync(HttpClient client, string query, int count)
    {
        using var response = await client.GetAsync("api/v1/nodes?watch=true&" + query, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        var events = new List<JsonElement>();
        while (events.Count < count && await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            events.Add(JsonDocument.Parse(line).RootElement.Clone());
        }

        return events;
    }

    [Fact]
    public async Task Watch_FromResourceVersion_StreamsChangesWithNewVersions()
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 3 }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);
        var from = simulator.Nodes.ResourceVersion;
        var name = simulator.Nodes.Names[0];
        simulator.Nodes.SetReady(name, "False");
        simulator.Nodes.Delete(name);

        var events = await ReadEventsAsync(client, $"resourceVersion={from}", 2);

        events.Select(e => e.GetProperty("type").GetString()).ShouldBe(["MODIFIED", "DELETED"]);
        events.Select(e => long.Parse(e.GetProperty("object").GetProperty("metadata").GetProperty("resourceVersion").GetString()!, System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBe([from + 1, from + 2]);
    }

    [Fact]
    public async Task Watch_WithoutResourceVersion_StartsWithEveryNodeAdded()
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 4 }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);

        var events = await ReadEventsAsync(client, "timeoutSeconds=5", 4);

        events.ShouldAllBe(e => e.GetProperty("type").GetString() == "ADDED");
    }

    [Fact]
    public async Task Watch_AllowBookmarks_SendsBookmarksWithTheCurrentVersion()
    {
        await using var simulator = await KubeApiSimulator.StartAsync(
            new SimulatorOptions { NodeCount = 1, BookmarkInterval = TimeSpan.FromMilliseconds(100) }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);

        var events = await ReadEventsAsync(client, $"resourceVersion={simulator.Nodes.ResourceVersion}&allowWatchBookmarks=true", 1);

        events.Single().GetProperty("type").GetString().ShouldBe("BOOKMARK");
        events.Single().GetProperty("object").GetProperty("metadata").GetProperty("resourceVersion").GetString()
            .ShouldBe(simulator.Nodes.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Watch_VersionOlderThanHistory_GetsAn410ErrorEvent()
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 2, WatchHistory = 2 }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);
        var from = simulator.Nodes.ResourceVersion;
        foreach (var status in new[] { "False", "True", "False", "True" })
        {
            simulator.Nodes.SetReady(simulator.Nodes.Names[0], status);
        }

        var events = await ReadEventsAsync(client, $"resourceVersion={from}", 1);

        events.Single().GetProperty("type").GetString().ShouldBe("ERROR");
        events.Single().GetProperty("object").GetProperty("code").GetInt32().ShouldBe(410);
    }
}
