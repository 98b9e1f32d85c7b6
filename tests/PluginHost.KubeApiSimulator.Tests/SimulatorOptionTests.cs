using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Unicode;

namespace PluginHost.KubeApiSimulator.Tests;

/// <summary>What the simulator offers to test a client's strictness: certificates, bad nodes, tokens.</summary>
public sealed class SimulatorOptionTests
{
    [Theory]
    [InlineData("default: loopback names", new string[0], new[] { "127.0.0.1", "localhost" }, new string[0])]
    [InlineData("another host only", new[] { "wrong.example" }, new[] { "wrong.example" }, new[] { "127.0.0.1", "localhost" })]
    [InlineData("another IP", new[] { "10.1.2.3" }, new[] { "10.1.2.3" }, new[] { "127.0.0.1" })]
    public async Task ServerCertificateNames_GiveACertificateValidForExactlyThem(string name, string[] names, string[] valid, string[] invalid)
    {
        var options = names.Length == 0 ? new SimulatorOptions { Https = true } : new SimulatorOptions { Https = true, ServerCertificateNames = names };
        await using var simulator = await KubeApiSimulator.StartAsync(options, TestContext.Current.CancellationToken);

        var server = simulator.Certificates!.Server;

        valid.ShouldAllBe(host => server.MatchesHostname(host, true, false), name);
        invalid.ShouldAllBe(host => !server.MatchesHostname(host, true, false), name);
        simulator.Certificates.IsIssuedByAuthority(server).ShouldBeTrue(name);
    }

    [Fact]
    public async Task ServerCertificateNames_AnotherHost_FailsTheNameCheckOfAClientTrustingTheCa()
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { Https = true, ServerCertificateNames = ["wrong.example"] }, TestContext.Current.CancellationToken);
        var errors = SslPolicyErrors.None;
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, e) =>
        {
            errors = e;
            return false;
        };
        using var client = new HttpClient(handler) { BaseAddress = simulator.BaseUrl };

        await Should.ThrowAsync<HttpRequestException>(() => client.GetAsync("version", TestContext.Current.CancellationToken));

        errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch).ShouldBeTrue();
        simulator.Counters.Total.ShouldBe(0);
    }

    [Fact]
    public async Task InvalidNodes_ServesANonUtf8NodeANodeWithoutUidAndARepeatedUid()
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { NodeCount = 4, InvalidNodes = true }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);

        var body = await client.GetByteArrayAsync("api/v1/nodes", TestContext.Current.CancellationToken);

        Utf8.IsValid(body).ShouldBeFalse();
        var items = JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().ToList();
        items.Count.ShouldBe(7);
        string? Uid(JsonElement node) => node.GetProperty("metadata").TryGetProperty("uid", out var uid) ? uid.GetString() : null;
        string Name(JsonElement node) => node.GetProperty("metadata").GetProperty("name").GetString()!;
        items.Where(n => Uid(n) is null).Select(Name).ShouldBe(["zz-without-uid"]);
        items.Single(n => Name(n) == "zz-duplicate-uid").GetProperty("metadata").GetProperty("uid").GetString().ShouldBe(Uid(items[0]));
        items.Select(Name).ShouldContain("zz-invalid-utf8");
    }

    [Fact]
    public async Task AcceptedToken_Rotated_RejectsTheOldTokenAndAcceptsTheNew()
    {
        await using var simulator = await KubeApiSimulator.StartAsync(new SimulatorOptions { Auth = SimulatorAuth.Token }, TestContext.Current.CancellationToken);
        using var client = RawApi.Client(simulator);

        simulator.AcceptedToken = "rotated-token";

        (await SendAsync(client, "simulator-token")).ShouldBe(HttpStatusCode.Unauthorized);
        (await SendAsync(client, "rotated-token")).ShouldBe(HttpStatusCode.OK);
        (await SendAsync(client, null)).ShouldBe(HttpStatusCode.Unauthorized);
        simulator.Counters.WithAuthorization.ShouldBe(2);
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/nodes");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}
