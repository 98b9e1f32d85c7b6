using System.Net;
using System.Text;
using System.Text.Json;

namespace PluginHost.Tests.Api;

/// <summary>The routes as python-vitrageclient 4.6.0 sends them (captured from the real client), against the real host.</summary>
public sealed class ApiRoutesTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private ApiHostProcess Host => fixture.Host;

    public static TheoryData<string, string, string, int, string> Routes => new()
    {
        // name, method, path, status, JSON the body must equal (or start with, for '...')
        { "versions", "GET", "", 200, $$"""{"versions":[{"status":"CURRENT","links":[{"rel":"self","href":"{base}v1/"}],"id":"v1.0","updated":"2015-11-29"}]}""" },
        { "healthcheck as JSON", "GET", "healthcheck/", 200, """{"detailed":false,"reasons":["OK"]}""" },
        { "status", "GET", "v1/status/", 200, """{"reason":"OK"}""" },
        { "status without the trailing slash", "GET", "v1/status", 200, """{"reason":"OK"}""" },
        { "template list", "GET", "v1/template/", 200, "[]" },
        { "webhook list", "GET", "v1/webhook/?all_tenants=False", 200, "[]" },
        { "alarm list", "GET", "v1/alarm/?vitrage_id=all&all_tenants=False&sort_by=start_timestamp&sort_by=vitrage_id&sort_dirs=asc&sort_dirs=asc&next_page=True", 200, "[]" },
        { "alarm list, a limit beyond any integer (Vitrage: min(int(limit), 10000))", "GET", "v1/alarm/?vitrage_id=all&all_tenants=False&limit=99999999999", 200, "[]" },
        { "alarm count", "GET", "v1/alarm/count/?all_tenants=False", 200, """{"SEVERE":0,"CRITICAL":0,"WARNING":0,"OK":0,"N/A":0}""" },
        { "alarm history", "GET", "v1/alarm/history/?all_tenants=True&sort_by=start_timestamp&sort_by=vitrage_id&sort_dirs=asc&sort_dirs=asc&next_page=True", 200, "[]" },
        { "resource count", "POST", "v1/resources/count/", 200, $$"""{"kubernetes":1,"kubernetes.node":{{ApiHostFixture.Nodes}}}""" },
        { "an unknown resource", "GET", "v1/resources/00000000-0000-0000-0000-000000000000", 404, """{"code":404,"title":"Not Found","description":"Failed to show resource: no resource 00000000-0000-0000-0000-000000000000 you may see"}""" },
        { "an unknown route", "GET", "v1/nonexistent", 404, """{"code":404,"title":"Not Found","description":"The resource could not be found."}""" },
        { "topology is POST only", "GET", "v1/topology/", 405, """{"code":405,"title":"Method Not Allowed","description":"The method GET is not allowed for this resource."}""" },
        { "service list", "GET", "v1/service/", 200, """[{"name":"plugin_host.api",...""" },
        { "rca show (not served)", "GET", "v1/rca/?alarm_id=x&all_tenants=False", 501, """{"code":501,"title":"Not Implemented","description":"Root cause analysis is not served: ...""" },
        { "event post (not served)", "POST", "v1/event/", 501, """{"code":501,"title":"Not Implemented","description":"Posting events is not served: ...""" },
        { "resource list, the deprecated GET", "GET", "v1/resources/?all_tenants=True", 200, """[{"vitrage_id":...""" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_AsTheClientSendsIt_AnswersVitragesShape(string name, string method, string path, int status, string expected)
    {
        using var response = method == "GET"
            ? await Host.GetAsync(path)
            : await Host.PostAsync(path, new { resource_type = (string?)null, all_tenants = false, query = (string?)null, group_by = "vitrage_type" });

        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(status, $"{name}: {body}");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json", name);
        response.Headers.GetValues("x-openstack-request-id").Single().ShouldStartWith("req-", Case.Sensitive, name);
        expected = expected.Replace("{base}", Host.BaseUrl.ToString(), StringComparison.Ordinal);
        if (expected.EndsWith("...", StringComparison.Ordinal))
        {
            body.ShouldStartWith(expected[..^3], Case.Sensitive, name);
        }
        else
        {
            body.ShouldBe(expected, name);
        }
    }

    [Fact]
    public async Task Topology_GetForPostOnlyRoute_NamesTheAllowedMethod()
    {
        using var response = await Host.GetAsync("v1/topology/");

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.ShouldBe(["POST"]);
    }

    [Fact]
    public async Task Healthcheck_WithoutJsonAccept_AnswersPlainOk()
    {
        using var response = await Host.GetAsync("healthcheck", accept: "*/*");

        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        (await response.Content.ReadAsStringAsync()).ShouldBe("OK");
    }

    [Fact]
    public async Task Topology_AllTenants_IsVitragesNodeLinkGraphOfTheCluster()
    {
        using var response = await Host.PostAsync("v1/topology/", new { depth = (int?)null, graph_type = "graph", query = (string?)null, root = (string?)null, all_tenants = true });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("X-Graph-Version").Single().ShouldNotBe("0");
        using var graph = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = graph.RootElement;
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["directed", "multigraph", "graph", "nodes", "links", "raw"]);
        root.GetProperty("raw").GetBoolean().ShouldBeTrue();
        var nodes = root.GetProperty("nodes").EnumerateArray().ToList();
        nodes.Count.ShouldBe(ApiHostFixture.Nodes + 1, "the cluster and its nodes; the Nova placeholders are hidden as in Vitrage");
        nodes.Select(n => n.GetProperty("graph_index").GetInt32()).ShouldBe(Enumerable.Range(0, nodes.Count));
        nodes.Where(n => n.GetProperty("vitrage_type").GetString() == "kubernetes.node").Select(n => n.GetProperty("name").GetString())
            .Order(StringComparer.Ordinal).ShouldBe(Host.Simulator.Nodes.Names.Order(StringComparer.Ordinal));
        var cluster = nodes.FindIndex(n => n.GetProperty("vitrage_type").GetString() == "kubernetes");
        var links = root.GetProperty("links").EnumerateArray().ToList();
        links.Count.ShouldBe(ApiHostFixture.Nodes);
        links.ShouldAllBe(l => l.GetProperty("source").GetInt32() == cluster && l.GetProperty("relationship_type").GetString() == "comprised");
    }

    // Found by a hostile test (stop 38): each Kubernetes node had "name" twice (the vertex's and the
    // node's own property); Python keeps the last, .NET's JsonNode and PowerShell refuse the object.
    [Fact]
    public async Task Responses_KubernetesNodes_NameEachKeyOnce()
    {
        using var topology = await Host.PostAsync("v1/topology/", new { graph_type = "graph", all_tenants = true });
        using var graph = Strict(await topology.Content.ReadAsStringAsync());
        var node = graph.RootElement.GetProperty("nodes").EnumerateArray().First(n => n.GetProperty("vitrage_type").GetString() == "kubernetes.node");
        Host.Simulator.Nodes.Names.ShouldContain(node.GetProperty("name").GetString());

        using var show = await Host.GetAsync("v1/resources/" + node.GetProperty("vitrage_id").GetString());
        show.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var shown = Strict(await show.Content.ReadAsStringAsync());
        shown.RootElement.GetProperty("name").GetString().ShouldBe(node.GetProperty("name").GetString());

        using var list = await Host.PostAsync("v1/resources/", new { resource_type = "kubernetes.node", all_tenants = true });
        using var listed = Strict(await list.Content.ReadAsStringAsync());
        listed.RootElement.GetArrayLength().ShouldBe(ApiHostFixture.Nodes);
    }

    // Vitrage counts by resource.get(group_by) and json.dumps the dict: a property no resource has is None, "null".
    [Fact]
    public async Task ResourceCount_GroupedByAPropertyNoResourceHas_CountsThemUnderNull()
    {
        using var response = await Host.PostAsync("v1/resources/count/", new { resource_type = (string?)null, all_tenants = true, query = (string?)null, group_by = "no_such_property" });

        (await response.Content.ReadAsStringAsync()).ShouldBe($$"""{"null":{{ApiHostFixture.Nodes + 1}}}""");
    }

    private static JsonDocument Strict(string json) => JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false });

    public static TheoryData<string, string, int, string> Errors => new()
    {
        { "a query that is not JSON", """{"query": "{not json", "all_tenants": true}""", 400, "Invalid query: query is not valid JSON" },
        { "an unknown operator", """{"query": "{\"like\": {\"name\": \"x\"}}", "all_tenants": true}""", 400, "Invalid query: query: unknown operator 'like'" },
        { "a body that is not JSON", "all_tenants=true", 400, "The request body is not valid JSON" },
        { "an unknown graph type", """{"graph_type": "forest", "all_tenants": true}""", 400, "graph_type = 'forest': expected graph or tree" },
        { "a negative depth", """{"depth": -1, "root": "x", "all_tenants": true}""", 400, "Parameter depth = '-1': expected an integer of at least 0." },
        { "a depth without a root", """{"depth": 2, "all_tenants": true}""", 400, "Graph-type 'graph' requires a 'root' with 'depth'" },
        // Found by a hostile test (stop 39): an escaped lone surrogate anywhere in the body was a 500
        // with a stack trace in the log, per request.
        { "a lone surrogate as the query", """{"query": "\ud800", "all_tenants": true}""", 400, "an escaped lone surrogate" },
        { "a lone surrogate in a query's literal", """{"query": {"==": {"name": "x\udc00"}}, "all_tenants": true}""", 400, "an escaped lone surrogate" },
        { "a lone surrogate as a query's property", """{"query": {"==": {"\ud800": "x"}}, "all_tenants": true}""", 400, "an escaped lone surrogate" },
        { "a lone surrogate as a parameter's name", """{"\ud800": 1}""", 400, "an escaped lone surrogate" },
        { "a lone surrogate in a list", """{"graph_type": ["\ud800"]}""", 400, "an escaped lone surrogate" },
        { "a surrogate pair", """{"query": {"==": {"name": "\ud83d\ude00"}}, "root": "no-such-vertex", "graph_type": "tree", "all_tenants": true}""", 404, "no vertex has vitrage_id no-such-vertex" },
        { "an unknown root", """{"root": "no-such-vertex", "graph_type": "tree", "all_tenants": true}""", 404, "no vertex has vitrage_id no-such-vertex" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Topology_BadRequest_AnswersVitragesErrorBodyNamingTheProblem(string name, string body, int status, string description)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/topology/") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Roles", "admin");

        using var response = await Host.Http.SendAsync(request);

        ((int)response.StatusCode).ShouldBe(status, name);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        error.RootElement.GetProperty("code").GetInt32().ShouldBe(status, name);
        error.RootElement.GetProperty("description").GetString()!.ShouldContain(description, Case.Sensitive, name);
    }

    // Found by a hostile test (stop 39): SQLite's own limits (2,000 ORDER BY terms, an expression tree
    // 1,000 deep) answered 503 "the alarm history cannot be read now", as if the host were broken.
    [Theory]
    [InlineData("sort_by=name", 13, "sort_by names 13 keys; the alarm history has 12 columns to sort on")]
    [InlineData("filter_by=name&filter_vals=x", 101, "filter_by names 101 filters; at most 100 are taken")]
    public async Task AlarmHistory_MoreKeysThanItTakes_Is400NamingTheLimit(string parameter, int times, string description)
    {
        using var response = await Host.GetAsync("v1/alarm/history/?all_tenants=True&" + string.Join('&', Enumerable.Repeat(parameter, times)));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        error.RootElement.GetProperty("description").GetString().ShouldBe(description);
    }

    [Theory]
    [InlineData("sort_by=name", 12)]
    [InlineData("filter_by=name&filter_vals=x", 100)]
    public async Task AlarmHistory_AsManyKeysAsItTakes_IsServed(string parameter, int times)
    {
        using var response = await Host.GetAsync("v1/alarm/history/?all_tenants=True&" + string.Join('&', Enumerable.Repeat(parameter, times)));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Topology_AllTenantsWithoutAdminRole_Is403()
    {
        using var response = await Host.PostAsync("v1/topology/", new { all_tenants = true }, roles: "member");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain("all_tenants needs the admin role");
    }

    [Fact]
    public async Task Topology_ParametersInTheQueryString_AreReadToo()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/topology/?all_tenants=True&graph_type=graph");
        request.Headers.Add("X-Roles", "admin");

        using var response = await Host.Http.SendAsync(request);

        using var graph = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        graph.RootElement.GetProperty("nodes").GetArrayLength().ShouldBe(ApiHostFixture.Nodes + 1);
    }

    [Fact]
    public async Task Request_BodyOverTheLimit_Is413()
    {
        var huge = new string('x', 2 << 20);

        using var response = await Host.PostAsync("v1/topology/", new { query = huge });

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Request_NotJsonContentType_Is415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/resources/") { Content = new StringContent("all_tenants=true", Encoding.UTF8, "text/plain") };

        using var response = await Host.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    public static TheoryData<string, HttpStatusCode> HostHeaders => new()
    {
        { "localhost", HttpStatusCode.OK },
        { "127.0.0.1", HttpStatusCode.OK },
        { "[::1]", HttpStatusCode.OK },
        { "rebound.attacker.example", HttpStatusCode.BadRequest },
    };

    // Found by a hostile test (stop 39): a web page that rebinds its own name to 127.0.0.1 read the
    // whole graph as admin from the default noauth API on loopback.
    [Theory]
    [MemberData(nameof(HostHeaders))]
    public async Task Request_HostHeaderOfTheDefaultNoauthLoopbackApi_OnlyLoopbackNamesAndAddressesAreServed(string host, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/topology/") { Content = new StringContent("""{"all_tenants": true}""", Encoding.UTF8, "application/json") };
        request.Headers.Host = $"{host}:{Host.BaseUrl.Port}";
        request.Headers.Add("X-Roles", "admin");
        request.Headers.Add("X-Project-Id", "admin");

        using var response = await Host.Http.SendAsync(request);

        response.StatusCode.ShouldBe(expected, host);
        if (expected == HttpStatusCode.BadRequest)
        {
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            error.RootElement.GetProperty("description").GetString()!.ShouldContain("[api] allowed_hosts");
        }
    }

    [Fact]
    public async Task Ui_WithoutTrailingSlash_RedirectsToTheWebView()
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = Host.BaseUrl };

        using var response = await http.GetAsync("ui");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldBe("/ui/");
    }

    [Fact]
    public void Log_WhileServing_HasNoAspNetBoilerplate()
    {
        Host.Stderr.ShouldContain("REST API listening on");
        Host.Stderr.ShouldNotContain("Microsoft.");
        Host.Stderr.ShouldNotContain("Ctrl+C");
    }
}
