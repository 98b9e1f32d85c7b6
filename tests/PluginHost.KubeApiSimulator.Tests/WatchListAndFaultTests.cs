using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace PluginHost.KubeApiSimulator.Tests;

/// <summary>What the simulator adds for list + watch clients: WatchList, compaction, stream ends, hung and broken streams.</summary>
public sealed class WatchListAndFaultTests
{
    private const string WatchList = "sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true";

    private static async Task<(List<JsonElement> Events, bool Ended)> ReadAsync(HttpClient client, string query, int count, TimeSpan within)
    {
        using var response = await client.GetAsync("api/v1/nodes?watch=true&" + query, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        using var deadline = new CancellationTokenSource(within);
        var events = new List<JsonElement>();
        try
        {
            while (events.Count < count)
            {
                if (await reader.ReadLineAsync(deadline.Token) is not { } line)
                {
                    return (events, true);
                }

                events.Add(JsonDocument.Parse(line).RootElement.Clone());
            }
        }
        catch (OperationCanceledException)
        {
        }

        return (events, false);
    }

    private static string Type(JsonElement e) => e.GetProperty("type").GetString()!;

    [Fact]
    public async Task Watch_SendInitialEvents_EveryNodeAddedThenTheInitialEventsEndBookmark()
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 3 }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);

        var (events, _) = await ReadAsync(client, WatchList, 4, TimeSpan.FromSeconds(10));

        events.Take(3).Select(Type).ShouldBe(["ADDED", "ADDED", "ADDED"]);
        Type(events[3]).ShouldBe("BOOKMARK");
        var metadata = events[3].GetProperty("object").GetProperty("metadata");
        metadata.GetProperty("annotations").GetProperty("k8s.io/initial-events-end").GetString().ShouldBe("true");
        metadata.GetProperty("resourceVersion").GetString().ShouldBe(simulator.Nodes.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        simulator.Counters.Watches.Single().ShouldBe(new WatchRequest("", "", AllowWatchBookmarks: true, SendInitialEvents: true));
    }

    [Theory]
    [InlineData("WatchList switched off", false, WatchList, "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled")]
    [InlineData("without resourceVersionMatch", true, "sendInitialEvents=true&allowWatchBookmarks=true", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan")]
    [InlineData("without bookmarks", true, "sendInitialEvents=true&resourceVersionMatch=NotOlderThan", "sendInitialEvents requires setting allowWatchBookmarks to true")]
    public async Task Watch_RefusedWatchList_Answers422WithTheApiServersMessage(string name, bool watchList, string query, string message)
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 1, WatchList = watchList }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);

        using var response = await client.GetAsync("api/v1/nodes?watch=true&" + query, TestContext.Current.CancellationToken);

        ((int)response.StatusCode).ShouldBe(422, name);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        status.RootElement.GetProperty("reason").GetString().ShouldBe("Invalid", name);
        status.RootElement.GetProperty("message").GetString()!.ShouldContain(message, Case.Sensitive, name);
    }

    [Fact]
    public async Task Watch_AfterCompaction_AnOlderVersionGets410ButTheCurrentOneWatches()
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 2 }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);
        var before = simulator.Nodes.ResourceVersion;
        simulator.Nodes.SetReady(simulator.Nodes.Names[0], "False");
        simulator.Nodes.Compact();
        var now = simulator.Nodes.ResourceVersion;
        simulator.Nodes.SetReady(simulator.Nodes.Names[1], "False");

        var (old, _) = await ReadAsync(client, $"resourceVersion={before}", 1, TimeSpan.FromSeconds(10));
        var (current, _) = await ReadAsync(client, $"resourceVersion={now}", 1, TimeSpan.FromSeconds(10));

        Type(old.Single()).ShouldBe("ERROR");
        old.Single().GetProperty("object").GetProperty("code").GetInt32().ShouldBe(410);
        Type(current.Single()).ShouldBe("MODIFIED");
    }

    // case, whether the restore goes through the admin endpoint (else in-process)
    public static TheoryData<string, bool> Restores => new()
    {
        { "in-process", false },
        { "admin endpoint", true },
    };

    [Theory]
    [MemberData(nameof(Restores))]
    public async Task Restore_ToAnEarlierVersion_ListsItAndRewritesANodeAtAVersionSeenBefore(string name, bool overAdmin)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 3 }, ct);
        using var client = RawApi.Client(simulator);
        var node = simulator.Nodes.Names[1];
        simulator.Nodes.SetReady(node, "False");
        var seen = simulator.Nodes.ResourceVersion; // the node's version now
        simulator.Nodes.SetReady(simulator.Nodes.Names[2], "False");

        if (overAdmin)
        {
            (await client.PostAsync($"_sim/restore?resourceVersion={seen - 1}", null, ct)).StatusCode.ShouldBe(HttpStatusCode.OK, name);
        }
        else
        {
            simulator.Nodes.Restore(seen - 1);
        }

        using (var list = await RawApi.GetJsonAsync(client, "api/v1/nodes"))
        {
            list.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString().ShouldBe((seen - 1).ToString(CultureInfo.InvariantCulture), name);
        }

        simulator.Nodes.SetReady(node, "Unknown");
        simulator.Nodes.Get(node)!["metadata"]!["resourceVersion"]!.GetValue<string>().ShouldBe(seen.ToString(CultureInfo.InvariantCulture), name);
        var (events, _) = await ReadAsync(client, $"resourceVersion={seen - 2}", 1, TimeSpan.FromSeconds(10));
        events.Single().GetProperty("object").GetProperty("code").GetInt32().ShouldBe(410, name); // the history before the restore is gone
    }

    // case, the version watched from relative to the one restored to, the ERROR's code (0: no error, the change is watched)
    public static TheoryData<string, long, int> WatchesAfterARestore => new()
    {
        { "from the version before the restore (above the restored one)", 5, 504 },
        { "from just above the current version (one change after the restore)", 2, 504 },
        { "from the restored version", 0, 0 },
    };

    // A client that watched before an etcd restore holds a version above the restored one: the API
    // server ends such a watch with 504 "Too large resource version", which makes client-go relist.
    [Theory]
    [MemberData(nameof(WatchesAfterARestore))]
    public async Task Watch_FromAVersionAboveTheRestoredOne_GetsTheTooLargeResourceVersionError(string name, long above, int code)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 3 }, ct);
        using var client = RawApi.Client(simulator);
        var restored = simulator.Nodes.ResourceVersion - 5;
        simulator.Nodes.Restore(restored);
        simulator.Nodes.SetReady(simulator.Nodes.Names[0], "False"); // restored + 1

        var (events, _) = await ReadAsync(client, $"resourceVersion={restored + above}", 1, TimeSpan.FromSeconds(10));

        if (code == 0)
        {
            Type(events.Single()).ShouldBe("MODIFIED", name);
            return;
        }

        Type(events.Single()).ShouldBe("ERROR", name);
        var status = events.Single().GetProperty("object");
        status.GetProperty("code").GetInt32().ShouldBe(code, name);
        status.GetProperty("reason").GetString().ShouldBe("Timeout", name);
        status.GetProperty("message").GetString().ShouldBe($"Timeout: Too large resource version: {restored + above}, current: {restored + 1}", name);
        status.GetProperty("details").GetProperty("causes")[0].GetProperty("reason").GetString().ShouldBe("ResourceVersionTooLarge", name);
    }

    [Fact]
    public async Task Watch_WatchersMissChanges_TheChangeIsListedButNeverWatched()
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 2 }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);
        var before = simulator.Nodes.ResourceVersion;
        var name = simulator.Nodes.Names[0];

        simulator.Nodes.WatchersMissChanges = true;
        simulator.Nodes.SetReady(name, "False");
        simulator.Nodes.WatchersMissChanges = false;
        simulator.Nodes.SetReady(simulator.Nodes.Names[1], "False");

        var (events, _) = await ReadAsync(client, $"resourceVersion={before}", 2, TimeSpan.FromSeconds(1));
        events.Select(e => e.GetProperty("object").GetProperty("metadata").GetProperty("name").GetString()).ShouldBe([simulator.Nodes.Names[1]]);
        simulator.Nodes.Get(name)!["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Ready")!["status"]!.GetValue<string>().ShouldBe("False");
    }

    [Fact]
    public async Task Watch_MaxWatchDuration_EndsTheStreamBeforeTimeoutSeconds()
    {
        await using var simulator = await KubeApiSimulator.StartAsync(
            new SimulatorOptions { NodeCount = 1, MaxWatchDuration = TimeSpan.FromMilliseconds(300) }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);
        var clock = Stopwatch.StartNew();

        var (events, ended) = await ReadAsync(client, $"resourceVersion={simulator.Nodes.ResourceVersion}&timeoutSeconds=600", 10, TimeSpan.FromSeconds(10));

        ended.ShouldBeTrue();
        events.ShouldBeEmpty();
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(9));
    }

    [Fact]
    public async Task Watch_SilentWatchFault_SendsHeadersAndThenNothingNotEvenBookmarks()
    {
        await using var simulator = await KubeApiSimulator.StartAsync(
            new SimulatorOptions { NodeCount = 1, BookmarkInterval = TimeSpan.FromMilliseconds(50) }, TestContext.Current.CancellationToken);
        simulator.Faults.Add(new FaultRule(FaultKind.SilentWatch) { OnWatch = true });
        using var client = RawApi.Client(simulator);
        var from = simulator.Nodes.ResourceVersion;
        simulator.Nodes.SetReady(simulator.Nodes.Names[0], "False");

        var (events, ended) = await ReadAsync(client, $"resourceVersion={from}&allowWatchBookmarks=true", 1, TimeSpan.FromSeconds(1));

        (events.Count, ended).ShouldBe((0, false));
        simulator.Counters.NodeListRequests.ShouldBe(0);
    }

    [Theory]
    [InlineData("right after the headers", 0)]
    [InlineData("after two events", 2)]
    public async Task Watch_DropWatchFault_ResetsTheConnectionAfterItsEvents(string name, int afterEvents)
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 3 }, TestContext.Current.CancellationToken);
        simulator.Faults.Add(new FaultRule(FaultKind.DropWatch) { OnWatch = true, AfterEvents = afterEvents, Times = 1 });
        using var client = RawApi.Client(simulator);
        var from = simulator.Nodes.ResourceVersion;
        foreach (var node in simulator.Nodes.Names)
        {
            simulator.Nodes.SetReady(node, "False");
        }

        var read = new List<string>();
        var e = await Should.ThrowAsync<Exception>(async () =>
        {
            using var response = await client.GetAsync($"api/v1/nodes?watch=true&resourceVersion={from}", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
            while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                read.Add(line);
            }
        });

        e.ShouldBeAssignableTo<IOException>(name);
        read.Count.ShouldBe(afterEvents, name);
        simulator.Faults.Fired.ShouldBe([1], name);
    }

    [Fact]
    public async Task DropWatches_OpenStreams_AreResetAndCounted()
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 1 }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);
        using var response = await client.GetAsync($"api/v1/nodes?watch=true&resourceVersion={simulator.Nodes.ResourceVersion}",
            HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        var read = reader.ReadLineAsync(TestContext.Current.CancellationToken).AsTask();
        await WaitUntilAsync(() => simulator.OpenWatches == 1);

        simulator.DropWatches().ShouldBe(1);

        await Should.ThrowAsync<IOException>(read);
        simulator.OpenWatches.ShouldBe(0);
    }

    [Theory]
    [InlineData("watches only", true, HttpStatusCode.InternalServerError, HttpStatusCode.OK)]
    [InlineData("all but watches", false, HttpStatusCode.OK, HttpStatusCode.InternalServerError)]
    public async Task FaultRule_OnWatch_PicksWatchesOrTheOtherRequests(string name, bool onWatch, HttpStatusCode watch, HttpStatusCode list)
    {
        await using var simulator = await KubeApiSimulator.StartAsync(
            new SimulatorOptions { NodeCount = 1, MaxWatchDuration = TimeSpan.FromMilliseconds(100) }, TestContext.Current.CancellationToken);
        simulator.Faults.Add(new FaultRule(FaultKind.InternalError) { OnWatch = onWatch });
        using var client = RawApi.Client(simulator);

        using var watchResponse = await client.GetAsync($"api/v1/nodes?watch=true&resourceVersion={simulator.Nodes.ResourceVersion}", TestContext.Current.CancellationToken);
        using var listResponse = await client.GetAsync("api/v1/nodes", TestContext.Current.CancellationToken);

        (watchResponse.StatusCode, listResponse.StatusCode).ShouldBe((watch, list), name);
    }

    [Fact]
    public async Task Counters_ListAndWatchBytes_AreTheBytesSent()
    {
        await using var simulator = await KubeApiSimulator.StartAsync(
            new SimulatorOptions { NodeCount = 3, BookmarkInterval = TimeSpan.FromHours(1) }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);

        var list = await client.GetByteArrayAsync("api/v1/nodes?limit=2", TestContext.Current.CancellationToken);
        var (events, _) = await ReadAsync(client, WatchList, 4, TimeSpan.FromSeconds(10));

        simulator.Counters.ListBytes.ShouldBe(list.Length);
        simulator.Counters.WatchBytes.ShouldBe(events.Sum(e => System.Text.Encoding.UTF8.GetByteCount(e.GetRawText()) + 1)); // each line and its newline
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
