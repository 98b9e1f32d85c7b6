using System.Net;
using System.Text;
using System.Text.Json;

namespace PluginHost.KubeApiSimulator.Tests;

/// <summary>
/// The faults a hardened client must survive: redirects, paging that never ends and bodies far
/// larger than any real page. Checked with a plain HttpClient, to see exactly what is sent.
/// </summary>
public sealed class ClientHardeningFaultTests
{
    private static async Task<(KubeApiSimulator Simulator, HttpClient Client)> StartAsync(FaultRule fault, int nodes = 30)
    {
        var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = nodes }, TestContext.Current.CancellationToken);
        simulator.Faults.Add(fault);
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false })
        {
            BaseAddress = simulator.BaseUrl,
            Timeout = TimeSpan.FromSeconds(30),
        };
        return (simulator, client);
    }

    [Fact]
    public async Task Redirect_AnswersFoundToTheLocationWithTheRequestPathAndQuery()
    {
        var (simulator, client) = await StartAsync(new FaultRule(FaultKind.Redirect) { Location = new Uri("http://elsewhere.example:8080/") });
        await using (simulator)
        using (client)
        {
            using var response = await client.GetAsync("api/v1/nodes?limit=5", TestContext.Current.CancellationToken);

            response.StatusCode.ShouldBe(HttpStatusCode.Found);
            response.Headers.Location.ShouldBe(new Uri("http://elsewhere.example:8080/api/v1/nodes?limit=5"));
        }
    }

    [Fact]
    public async Task RepeatContinueToken_EveryPageCarriesTheTokenItWasAskedWith()
    {
        var (simulator, client) = await StartAsync(new FaultRule(FaultKind.RepeatContinueToken));
        await using (simulator)
        using (client)
        {
            var first = await ContinueOfAsync(client, "api/v1/nodes?limit=10");
            var second = await ContinueOfAsync(client, $"api/v1/nodes?limit=10&continue={Uri.EscapeDataString(first.Token!)}");
            var third = await ContinueOfAsync(client, $"api/v1/nodes?limit=10&continue={Uri.EscapeDataString(second.Token!)}");

            first.Token.ShouldNotBeNull();
            second.Token.ShouldBe(first.Token);
            third.Token.ShouldBe(first.Token);
        }
    }

    [Theory]
    [InlineData("with remainingItemCount", true)]
    [InlineData("without remainingItemCount", false)]
    public async Task EndlessContinue_EveryPageCarriesANewToken_EvenAfterTheLastNode(string name, bool remainingItemCount)
    {
        var (simulator, client) = await StartAsync(new FaultRule(FaultKind.EndlessContinue) { RemainingItemCount = remainingItemCount });
        await using (simulator)
        using (client)
        {
            var tokens = new List<string>();
            string path = "api/v1/nodes?limit=10";
            for (var page = 0; page < 8; page++)
            {
                var (token, remaining) = await ContinueOfAsync(client, path);
                tokens.Add(token.ShouldNotBeNull(name));
                (remaining is not null).ShouldBe(remainingItemCount, name);
                path = $"api/v1/nodes?limit=10&continue={Uri.EscapeDataString(token)}";
            }

            tokens.ShouldBeUnique(name);
        }
    }

    [Theory]
    [InlineData("announced length", true)]
    [InlineData("chunked", false)]
    public async Task OversizedBody_IsOneValidNodeListOfExactlyTheSize(string name, bool contentLength)
    {
        const long size = 3 << 20;
        var (simulator, client) = await StartAsync(new FaultRule(FaultKind.OversizedBody) { Size = size, ContentLength = contentLength });
        await using (simulator)
        using (client)
        {
            using var response = await client.GetAsync("api/v1/nodes", TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

            body.LongLength.ShouldBe(size, name);
            (response.Headers.TransferEncodingChunked == true).ShouldBe(!contentLength, name);
            using var list = JsonDocument.Parse(body);
            list.RootElement.GetProperty("kind").GetString().ShouldBe("NodeList", name);
            RawApi.Names(list).Count().ShouldBe(30, name);
        }
    }

    [Fact]
    public async Task OversizedErrorBody_Is500StatusOfExactlyTheSize()
    {
        const long size = 1 << 20;
        var (simulator, client) = await StartAsync(new FaultRule(FaultKind.OversizedErrorBody) { Size = size });
        await using (simulator)
        using (client)
        {
            using var response = await client.GetAsync("api/v1/nodes", TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

            response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
            body.LongLength.ShouldBe(size);
            JsonDocument.Parse(body).RootElement.GetProperty("kind").GetString().ShouldBe("Status");
        }
    }

    [Fact]
    public async Task AdminFaults_RedirectWithLocationAndOversizedWithSize_AreAccepted()
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 3 }, TestContext.Current.CancellationToken);
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = simulator.BaseUrl };
        var ct = TestContext.Current.CancellationToken;

        using var fault = new StringContent("""{"kind":"redirect","location":"https://other.example/","times":1}""", Encoding.UTF8, "application/json");
        (await client.PostAsync("_sim/faults", fault, ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
        using var response = await client.GetAsync("api/v1/nodes", ct);

        response.Headers.Location.ShouldBe(new Uri("https://other.example/api/v1/nodes"));
    }

    private static async Task<(string? Token, long? Remaining)> ContinueOfAsync(HttpClient client, string path)
    {
        using var page = await RawApi.GetJsonAsync(client, path);
        var metadata = page.RootElement.GetProperty("metadata");
        return (metadata.TryGetProperty("continue", out var c) ? c.GetString() : null,
            metadata.TryGetProperty("remainingItemCount", out var r) ? r.GetInt64() : null);
    }
}
