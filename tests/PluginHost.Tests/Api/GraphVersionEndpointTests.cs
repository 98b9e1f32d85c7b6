using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace PluginHost.Tests.Api;

/// <summary><c>GET /v1/topology/version/</c>, the long poll the web view refreshes with, on the real host.</summary>
public sealed class GraphVersionEndpointTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task Version_WithoutNewerThan_AnswersTheCurrentVersionAtOnce()
    {
        using var response = await fixture.Host.GetAsync("v1/topology/version/");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var (version, publishedAt) = await ReadAsync(response);
        version.ShouldBeGreaterThan(0);
        response.Headers.GetValues("X-Graph-Version").Single().ShouldBe(version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        publishedAt.ShouldNotBeNull().ShouldEndWith("Z");
    }

    [Fact]
    public async Task Version_NothingNewWithinWait_AnswersTheCurrentVersionAfterTheWait()
    {
        // The fixture's host snapshots every 600 s: nothing is published during this poll.
        using var first = await fixture.Host.GetAsync("v1/topology/version/");
        var (current, _) = await ReadAsync(first);
        var clock = Stopwatch.StartNew();

        using var response = await fixture.Host.GetAsync($"v1/topology/version/?newer_than={current}&wait=1");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ReadAsync(response)).Version.ShouldBe(current);
        clock.Elapsed.ShouldBeGreaterThan(TimeSpan.FromMilliseconds(900));
    }

    // A page that read its graph before the host restarted polled with the old process's number; the
    // new process's numbers start again, and with the same number the poll waited for the next
    // version (the page showed the old graph until then). A poll that names another instance is
    // answered at once; one that names this host's own waits as before.
    [Theory]
    [InlineData("another", false)]
    [InlineData("this host's", true)]
    public async Task Version_PollNamingAnInstance_WaitsOnlyForItsOwn(string instance, bool waits)
    {
        using var first = await fixture.Host.GetAsync("v1/topology/version/");
        var (current, _) = await ReadAsync(first);
        var own = first.Headers.GetValues("X-Graph-Instance").Single();
        using (var body = JsonDocument.Parse(await first.Content.ReadAsStringAsync()))
        {
            body.RootElement.GetProperty("instance").GetString().ShouldBe(own);
        }

        var clock = Stopwatch.StartNew();

        using var response = await fixture.Host.GetAsync($"v1/topology/version/?newer_than={current}&wait=2&instance={(waits ? own : "0123456789abcdef")}");

        (await ReadAsync(response)).Version.ShouldBe(current, instance);
        response.Headers.GetValues("X-Graph-Instance").Single().ShouldBe(own);
        if (waits)
        {
            clock.Elapsed.ShouldBeGreaterThan(TimeSpan.FromMilliseconds(1900), instance);
        }
        else
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1), instance);
        }
    }

    [Fact]
    public async Task Version_WaitOverTheMaximum_Answers400NamingIt()
    {
        using var response = await fixture.Host.GetAsync("v1/topology/version/?newer_than=1&wait=61");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        error.RootElement.GetProperty("description").GetString().ShouldBe("Parameter wait = '61': expected at most 60 seconds.");
    }

    [Fact]
    public async Task Version_NewerThanCurrent_AnswersWhenTheNextSnapshotLands()
    {
        await using var host = await ApiHostProcess.StartAsync(nodes: 3, sections: "snapshots_interval = 10");
        using var first = await host.GetAsync("v1/topology/version/");
        var (current, _) = await ReadAsync(first);
        host.Simulator.Nodes.SetReady(host.Simulator.Nodes.Names[0], "False");
        var clock = Stopwatch.StartNew();

        using var response = await host.GetAsync($"v1/topology/version/?newer_than={current}&wait=30");

        (await ReadAsync(response)).Version.ShouldBeGreaterThan(current);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(25), "a snapshot every 10 s ends the poll");
    }

    [Fact]
    public async Task Run_SigtermDuringALongPoll_AnswersThePollAndExitsAtOnce()
    {
        await using var host = await ApiHostProcess.StartAsync(nodes: 2);
        using var first = await host.GetAsync("v1/topology/version/");
        var (current, _) = await ReadAsync(first);
        var poll = host.GetAsync($"v1/topology/version/?newer_than={current}&wait=60");
        await Task.Delay(500); // the poll is waiting in the host
        var clock = Stopwatch.StartNew();

        (await host.StopAsync()).ShouldBe(0);

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), "a waiting poll must not hold the shutdown for its 60 s");
        using var response = await poll;
        (await ReadAsync(response)).Version.ShouldBe(current);
    }

    private static async Task<(long Version, string? PublishedAt)> ReadAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        return (root.GetProperty("version").GetInt64(), root.GetProperty("published_at").GetString());
    }
}
