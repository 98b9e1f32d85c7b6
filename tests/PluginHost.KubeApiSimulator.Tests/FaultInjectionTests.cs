using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace PluginHost.KubeApiSimulator.Tests;

public sealed class FaultInjectionTests
{
    private static async Task<(KubeApiSimulator Simulator, HttpClient Client)> StartAsync(params FaultRule[] faults)
    {
        var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 30 }, TestContext.Current.CancellationToken);
        foreach (var fault in faults)
        {
            simulator.Faults.Add(fault);
        }

        return (simulator, RawApi.Client(simulator));
    }

    public static TheoryData<string, FaultKind, HttpStatusCode, string> StatusFaults => new()
    {
        { "500", FaultKind.InternalError, HttpStatusCode.InternalServerError, "InternalError" },
        { "429", FaultKind.TooManyRequests, HttpStatusCode.TooManyRequests, "TooManyRequests" },
        { "401", FaultKind.Unauthorized, HttpStatusCode.Unauthorized, "Unauthorized" },
        { "403", FaultKind.Forbidden, HttpStatusCode.Forbidden, "Forbidden" },
    };

    [Theory]
    [MemberData(nameof(StatusFaults))]
    public async Task StatusFault_OnSecondRequest_AnswersAKubernetesStatusOnlyThere(string name, FaultKind kind, HttpStatusCode code, string reason)
    {
        var (simulator, client) = await StartAsync(new FaultRule(kind) { OnRequest = 2 });
        await using (simulator)
        using (client)
        {
            (await client.GetAsync("api/v1/nodes", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK, name);
            using var second = await client.GetAsync("api/v1/nodes", TestContext.Current.CancellationToken);
            second.StatusCode.ShouldBe(code, name);
            second.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
            var status = JsonDocument.Parse(await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
            status.GetProperty("kind").GetString().ShouldBe("Status");
            status.GetProperty("reason").GetString().ShouldBe(reason);
            status.GetProperty("code").GetInt32().ShouldBe((int)code);
            if (kind == FaultKind.TooManyRequests)
            {
                second.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
            }

            (await client.GetAsync("api/v1/nodes", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK, name);
            simulator.Faults.Fired.ShouldBe([1]);
        }
    }

    [Fact]
    public async Task GoneOnContinue_HitsOnlyRequestsWithAContinueToken()
    {
        var (simulator, client) = await StartAsync(new FaultRule(FaultKind.GoneOnContinue) { Times = 1 });
        await using (simulator)
        using (client)
        {
            using var first = await RawApi.GetJsonAsync(client, "api/v1/nodes?limit=10");
            var token = first.RootElement.GetProperty("metadata").GetProperty("continue").GetString();
            using var gone = await client.GetAsync($"api/v1/nodes?limit=10&continue={Uri.EscapeDataString(token!)}", TestContext.Current.CancellationToken);
            gone.StatusCode.ShouldBe(HttpStatusCode.Gone);
            (await gone.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("\"reason\":\"Expired\"");
            using var retried = await RawApi.GetJsonAsync(client, $"api/v1/nodes?limit=10&continue={Uri.EscapeDataString(token!)}");
            RawApi.Names(retried).Count().ShouldBe(10);
        }
    }

    // case, whether the rule is added over the admin endpoint (else in-process), how many of the first page's nodes it deletes
    public static TheoryData<string, bool, int> GoneDeletions => new()
    {
        { "in-process, one node of the first page", false, 1 },
        { "admin endpoint, two nodes of the first page", true, 2 },
        { "in-process, no node named", false, 0 },
    };

    [Theory]
    [MemberData(nameof(GoneDeletions))]
    public async Task GoneOnContinue_WithDeleteNodes_DeletesThemBeforeAnswering410(string name, bool overAdmin, int deleted)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 30 }, ct);
        using var client = RawApi.Client(simulator);
        var doomed = simulator.Nodes.Names.Take(deleted).ToArray();
        if (overAdmin)
        {
            using var rule = new StringContent(JsonSerializer.Serialize(new { kind = "GoneOnContinue", times = 1, deleteNodes = doomed }), System.Text.Encoding.UTF8, "application/json");
            (await client.PostAsync("_sim/faults", rule, ct)).StatusCode.ShouldBe(HttpStatusCode.Created, name);
        }
        else
        {
            simulator.Faults.Add(new FaultRule(FaultKind.GoneOnContinue) { Times = 1, DeleteNodes = doomed });
        }

        using var first = await RawApi.GetJsonAsync(client, "api/v1/nodes?limit=10");
        RawApi.Names(first).ShouldBe(simulator.Nodes.Names.Take(10), name); // nothing deleted before the 410
        var token = first.RootElement.GetProperty("metadata").GetProperty("continue").GetString();
        using var gone = await client.GetAsync($"api/v1/nodes?limit=10&continue={Uri.EscapeDataString(token!)}", ct);
        gone.StatusCode.ShouldBe(HttpStatusCode.Gone, name);

        using var restarted = await RawApi.GetJsonAsync(client, "api/v1/nodes");
        RawApi.Names(restarted).Count().ShouldBe(30 - deleted, name);
        RawApi.Names(restarted).Intersect(doomed).ShouldBeEmpty(name);
    }

    [Fact]
    public async Task ResetMidBody_BreaksTheConnectionWhileReading()
    {
        var (simulator, client) = await StartAsync(new FaultRule(FaultKind.ResetMidBody));
        await using (simulator)
        using (client)
        {
            using var response = await client.GetAsync("api/v1/nodes", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
            await Should.ThrowAsync<IOException>(() => body.CopyToAsync(Stream.Null, TestContext.Current.CancellationToken));
        }
    }

    [Theory]
    [InlineData("truncated body", FaultKind.TruncatedBody)]
    [InlineData("malformed JSON", FaultKind.MalformedJson)]
    public async Task BrokenBody_IsNotValidJson(string name, FaultKind kind)
    {
        var (simulator, client) = await StartAsync(new FaultRule(kind));
        await using (simulator)
        using (client)
        {
            using var response = await client.GetAsync("api/v1/nodes", TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, name);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Should.Throw<JsonException>(() => JsonDocument.Parse(body), name);
        }
    }

    [Theory]
    [InlineData("latency before the answer", FaultKind.Latency)]
    [InlineData("slow body", FaultKind.SlowBody)]
    public async Task SlowFault_DelaysButStillDeliversTheWholeList(string name, FaultKind kind)
    {
        var (simulator, client) = await StartAsync(new FaultRule(kind) { Delay = TimeSpan.FromMilliseconds(150) });
        await using (simulator)
        using (client)
        {
            var clock = Stopwatch.StartNew();
            using var list = await RawApi.GetJsonAsync(client, "api/v1/nodes");
            clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(140), name);
            RawApi.Names(list).Count().ShouldBe(30, name);
        }
    }

    [Fact]
    public async Task EveryNth_FiresOnEveryNthMatchingRequest()
    {
        var (simulator, client) = await StartAsync(new FaultRule(FaultKind.InternalError) { EveryNth = 3 });
        await using (simulator)
        using (client)
        {
            var codes = new List<int>();
            for (var i = 0; i < 6; i++)
            {
                using var response = await client.GetAsync("api/v1/nodes", TestContext.Current.CancellationToken);
                codes.Add((int)response.StatusCode);
            }

            codes.ShouldBe([200, 200, 500, 200, 200, 500]);
            (await client.GetAsync("version", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }
}
