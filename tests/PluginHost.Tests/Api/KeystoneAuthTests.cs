using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace PluginHost.Tests.Api;

/// <summary>One fake Keystone and one host with <c>auth_mode = keystone</c>, shared by <see cref="KeystoneAuthTests"/>.</summary>
public sealed class KeystoneHostFixture : IAsyncLifetime
{
    public const string PublicUri = "http://keystone.example:5000/v3";

    internal FakeKeystone Keystone { get; private set; } = null!;

    internal ApiHostProcess Host { get; private set; } = null!;

    internal string AdminToken { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Keystone = await FakeKeystone.StartAsync();
        Host = await ApiHostProcess.StartAsync(ApiHostFixture.Nodes, waitForGraph: false, api: "auth_mode = keystone", sections: $"""
            [keystone_authtoken]
            www_authenticate_uri = {PublicUri}
            auth_url = {Keystone.Url}
            username = {FakeKeystone.ServiceUser}
            password = {FakeKeystone.ServicePassword}
            project_name = service
            http_connect_timeout = 2
            """);
        AdminToken = Keystone.Issue("admin-user", "admin-project", ["admin", "member"], TimeSpan.FromHours(1));
        Host.Http.DefaultRequestHeaders.Add("X-Auth-Token", AdminToken);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Host.WaitForNodesAsync(ApiHostFixture.Nodes, timeout.Token);
        Host.Http.DefaultRequestHeaders.Remove("X-Auth-Token");
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Keystone.DisposeAsync();
    }
}

/// <summary>Tokens validated by (a fake) Keystone, cached, and never logged.</summary>
public sealed class KeystoneAuthTests(KeystoneHostFixture fixture) : IClassFixture<KeystoneHostFixture>
{
    private ApiHostProcess Host => fixture.Host;

    private FakeKeystone Keystone => fixture.Keystone;

    private async Task<HttpResponseMessage> TopologyAsync(string? token, bool allTenants, string? roles = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/topology/") { Content = System.Net.Http.Json.JsonContent.Create(new { all_tenants = allTenants }) };
        if (token is not null)
        {
            request.Headers.Add("X-Auth-Token", token);
        }

        if (roles is not null)
        {
            request.Headers.Add("X-Roles", roles); // a noauth header: keystone mode must ignore it
        }

        return await Host.Http.SendAsync(request);
    }

    private static async Task<int> NodeCountAsync(HttpResponseMessage response)
    {
        using var graph = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return graph.RootElement.GetProperty("nodes").GetArrayLength();
    }

    [Theory]
    [InlineData("no token", null)]
    [InlineData("a token Keystone does not know", "gAAAAnot-a-real-token")]
    public async Task Request_WithoutValidToken_Is401NamingKeystone(string name, string? token)
    {
        using var response = await TopologyAsync(token, allTenants: false);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, name);
        response.Headers.WwwAuthenticate.ToString().ShouldBe($"Keystone uri=\"{KeystoneHostFixture.PublicUri}\"", name);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        error.RootElement.GetProperty("code").GetInt32().ShouldBe(401, name);
    }

    // Found by a hostile test (stop 39): a token with a letter beyond ASCII was a 503 and an error
    // line "Keystone ... could not be reached" (HttpClient refuses to send such a header on), which
    // any client could cause without a token; a control character went on to Keystone.
    [Theory]
    [InlineData("a letter beyond ASCII", "gAAAA\u00e9")]
    [InlineData("a control character", "gAAAA\u0001x")]
    [InlineData("a space inside", "gAAAA x")]
    public async Task Request_TokenNotVisibleAscii_Is401WithoutAskingKeystone(string name, string token)
    {
        // UTF-8 headers: HttpClient would refuse to send the first token, as it did inside the host.
        using var http = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8 }) { BaseAddress = Host.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/resources/");
        request.Headers.TryAddWithoutValidation("X-Auth-Token", token).ShouldBeTrue(name);
        var before = Keystone.Validations;

        using var response = await http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, name);
        (Keystone.Validations - before).ShouldBe(0, name);
        Host.Stderr.ShouldNotContain("could not be reached", Case.Sensitive, name);
    }

    [Fact]
    public async Task Request_AdminToken_IsServedAndValidatedOnce()
    {
        var token = Keystone.Issue("admin-2", "admin-project", ["admin"], TimeSpan.FromHours(1));
        var before = Keystone.Validations;

        using var first = await TopologyAsync(token, allTenants: true);
        using var second = await TopologyAsync(token, allTenants: true);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await NodeCountAsync(second)).ShouldBe(ApiHostFixture.Nodes + 1);
        (Keystone.Validations - before).ShouldBe(1, "the second request is answered from the cache");
    }

    [Fact]
    public async Task Request_MemberToken_SeesOnlyItsProjectWhateverHeadersItAdds()
    {
        var token = Keystone.Issue("alice", "project-a", ["member"], TimeSpan.FromHours(1));

        using var all = await TopologyAsync(token, allTenants: true, roles: "admin");
        using var own = await TopologyAsync(token, allTenants: false, roles: "admin");

        all.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await NodeCountAsync(own)).ShouldBe(0, "Kubernetes nodes belong to no project; only admins see them");
    }

    [Fact]
    public async Task Request_TokenExpires_IsNoLongerAccepted()
    {
        var token = Keystone.Issue("admin-3", "admin-project", ["admin"], TimeSpan.FromSeconds(2));
        using (var fresh = await TopologyAsync(token, allTenants: true))
        {
            fresh.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5));

        using var expired = await TopologyAsync(token, allTenants: true);
        expired.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "a cached validation lasts no longer than the token");
    }

    [Fact]
    public async Task Request_KeystoneTooSlow_Is503WithinTheTimeout()
    {
        var token = Keystone.Issue("admin-4", "admin-project", ["admin"], TimeSpan.FromHours(1));
        Keystone.Delay = TimeSpan.FromSeconds(20);
        try
        {
            var clock = Stopwatch.StartNew();
            using var response = await TopologyAsync(token, allTenants: true);

            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), "http_connect_timeout = 2 bounds each Keystone call");
        }
        finally
        {
            Keystone.Delay = TimeSpan.Zero;
        }

        await Host.WaitForLogAsync("did not answer within 2 s ([keystone_authtoken] http_connect_timeout)");
    }

    [Theory]
    [InlineData("")]
    [InlineData("healthcheck")]
    public async Task Request_VersionsAndHealthcheck_NeedNoToken(string path)
    {
        using var response = await Host.GetAsync(path, roles: null, project: null);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public void Log_AfterRequests_HoldsNoPasswordOrToken()
    {
        Host.Stderr.ShouldNotContain(FakeKeystone.ServicePassword);
        Host.Stderr.ShouldNotContain(fixture.AdminToken);
        Host.Stderr.ShouldNotContain("gAAAA");
        Host.Stderr.ShouldNotContain("service-");
    }
}

/// <summary>A host whose service user Keystone refuses.</summary>
public sealed class KeystoneServiceUserTests
{
    [Fact]
    public async Task Request_ServicePasswordWrong_Is503AndTheLogNamesTheUserNotThePassword()
    {
        const string wrongPassword = "wr0ng-passw0rd-value";
        await using var keystone = await FakeKeystone.StartAsync();
        await using var host = await ApiHostProcess.StartAsync(nodes: 2, waitForGraph: false, api: "auth_mode = keystone", sections: $"""
            [keystone_authtoken]
            auth_url = {keystone.Url}v3
            username = {FakeKeystone.ServiceUser}
            password = {wrongPassword}
            """);
        var token = keystone.Issue("admin", "admin", ["admin"], TimeSpan.FromHours(1));
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/status/");
        request.Headers.Add("X-Auth-Token", token);

        using var response = await host.Http.SendAsync(request);

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).ShouldContain("The identity service (Keystone) is not available");
        await host.WaitForLogAsync($"Keystone refused the service user {FakeKeystone.ServiceUser} (domain Default, project service) with HTTP 401");
        host.Stderr.ShouldNotContain(wrongPassword);
        host.Stderr.ShouldNotContain(token);
    }
}
