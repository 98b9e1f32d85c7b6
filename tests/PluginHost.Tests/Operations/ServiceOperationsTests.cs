using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Operations;

/// <summary>
/// The host as a service: systemd readiness and watchdog, health and readiness probes, the status
/// verb and route, and the unit file.
/// </summary>
public sealed class ServiceOperationsTests(EchoPluginFolder plugins) : IClassFixture<EchoPluginFolder>
{
    private string Config(TempFolder temp, string entities, string extra = "")
    {
        var entitiesFile = temp.File("entities", entities);
        return temp.File("vitrage.conf", $"""
            [api]
            port = 0
            [datasources]
            plugin_path = {plugins.Plugins}
            snapshots_interval = 10
            [plugin_host]
            retry_initial_delay = 1
            retry_max_delay = 1
            [echo]
            entities_file = {entitiesFile}
            {extra}
            """);
    }

    private static RunningHost Start(string config, IReadOnlyDictionary<string, string>? environment = null) =>
        RunningHost.Start(environment ?? new Dictionary<string, string>(), "run", "--config-file", config);

    [Fact]
    public async Task Run_UnderSystemd_SaysReadyAfterTheFirstSnapshotFeedsTheWatchdogAndSaysStopping()
    {
        using var temp = new TempFolder();
        var socketPath = temp.Combine("notify.socket");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(socketPath));
        var config = Config(temp, "a\nb\n", "line_delay_ms = 300");
        await using var host = Start(config, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath, ["WATCHDOG_USEC"] = "1500000" });

        var ready = await ReceiveAsync(systemd, "READY=1");
        var readyAt = DateTime.Now;

        // Not before the first snapshot ended: the line's own time, since stderr may reach us after the datagram.
        await host.WaitForLogAsync("echo init_snapshot complete", seconds: 10);
        var logged = host.Stderr.Split('\n').First(l => l.Contains("echo init_snapshot complete", StringComparison.Ordinal));
        DateTime.ParseExact(logged[..23], "yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture).ShouldBeLessThanOrEqualTo(readyAt);
        await host.ApiUrlAsync(); // and the API listened before it
        await ReceiveAsync(systemd, "WATCHDOG=1");
        host.Signal(RunningHost.SigTerm);
        await ReceiveAsync(systemd, "STOPPING=1");
        await host.WaitForExitAsync();

        ready.ShouldContain("STATUS=running 1 datasources");
        host.ExitCode.ShouldBe(0);
    }

    private static async Task<string> ReceiveAsync(Socket socket, string expected)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var length = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            var message = Encoding.UTF8.GetString(buffer, 0, length);
            if (message.Split('\n').Contains(expected))
            {
                return message;
            }
        }
    }

    [Fact]
    public async Task Run_DatasourceFailingThenRecovering_ProbesAndStatusSayWhich()
    {
        using var temp = new TempFolder();
        var config = Config(temp, "a\nFAIL\n");
        await using var host = Start(config);
        var api = await host.ApiUrlAsync();
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };
        await host.WaitForLogAsync("init_snapshot failed");

        (await http.GetAsync("healthz", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var notReady = await http.GetAsync("readyz", TestContext.Current.CancellationToken);
        notReady.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await notReady.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("datasource echo has not completed a snapshot: echo: FAIL line reached");
        var failing = await HostProcess.RunAsync("status", "--config-file", config, "--url", api.ToString());
        failing.ExitCode.ShouldBe(1, failing.Stderr);
        failing.Stdout.ShouldContain("echo        never succeeded");

        File.WriteAllText(temp.Combine("entities"), "a\nb\n");
        await host.WaitForLogAsync("echo snapshot complete", seconds: 30);
        await host.WaitForGraphReadyAsync(http); // a moment after that line: the publication /readyz goes by
        (await http.GetAsync("readyz", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var healthy = await HostProcess.RunAsync("status", "--config-file", config, "--url", api.ToString(), "--format", "json");
        healthy.ExitCode.ShouldBe(0, healthy.Stderr);
        var echo = JsonDocument.Parse(healthy.Stdout).RootElement.GetProperty("datasources").EnumerateArray().Single();
        echo.GetProperty("state").GetString().ShouldBe("ok");
        echo.GetProperty("entities").GetInt32().ShouldBe(2);
        echo.GetProperty("failed_snapshots").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
    }

    // A failing output used to make /readyz 503: in Kubernetes the API then left its Service whenever
    // RabbitMQ or the history's disk had trouble, though it serves the graph from memory all the same.
    [Fact]
    public async Task Run_OutputFailing_ReadyWithAWarningAndStatusSaysWhich()
    {
        using var temp = new TempFolder();
        var config = Config(temp, "a\n");
        var notAFolder = temp.File("not-a-folder", "x");
        var outputs = temp.File("outputs.conf", $"[plugin_host]\ngraph_file = {notAFolder}/graph.json\n");
        await using var host = RunningHost.Start(new Dictionary<string, string>(), "run", "--config-file", config, "--config-file", outputs);
        var api = await host.ApiUrlAsync();
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };
        await host.WaitForLogAsync("echo snapshot complete", seconds: 30);
        await host.WaitForLogAsync($"Output graph_file {notAFolder}/graph.json failed", seconds: 30);

        var ready = await http.GetAsync("readyz", TestContext.Current.CancellationToken);
        var body = await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        ready.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var probe = JsonDocument.Parse(body).RootElement;
        probe.GetProperty("status").GetString().ShouldBe("ok");
        probe.GetProperty("reasons").GetArrayLength().ShouldBe(0);
        probe.GetProperty("warnings").EnumerateArray().Single().GetString().ShouldStartWith("output graph_file is failing: ");
        var status = await HostProcess.RunAsync("status", "--config-file", config, "--url", api.ToString());
        status.ExitCode.ShouldBe(0, status.Stderr);
        status.Stdout.ShouldContain("ready;");
        status.Stdout.ShouldContain("  warning: output graph_file is failing: ");
    }

    [Fact]
    public async Task Status_HostNotRunning_ExitsOneNamingTheUrl()
    {
        using var temp = new TempFolder();
        var config = Config(temp, "a\n");

        var result = await HostProcess.RunAsync("status", "--config-file", config, "--url", "http://127.0.0.1:9");

        result.ExitCode.ShouldBe(1);
        result.Stderr.ShouldContain("error: cannot reach the host's API at http://127.0.0.1:9/");
    }

    // case, --url ({port}: a server that answers every request with 200 and the body), the body
    // (null: no server), exit code, what stderr says. Each used to end in a stack trace.
    public static TheoryData<string, string, string?, int, string> BadStatusUrls => new()
    {
        { "not a URL", "localhost-8999", null, 2, "error: --url expects the host's API as http://host:port or https://host:port" },
        { "a scheme HttpClient does not speak", "ftp://127.0.0.1:9/", null, 2, "error: --url expects the host's API as http://host:port or https://host:port" },
        { "a web page on that port", "http://127.0.0.1:{port}", "<html>it works</html>", 1,
            "error: the answer of http://127.0.0.1:{port}/ to /v1/plugin_host/status is not a PluginHost status; is this the host's API port?" },
        { "another JSON API on that port", "http://127.0.0.1:{port}", "{\"versions\": []}", 1,
            "error: the answer of http://127.0.0.1:{port}/ to /v1/plugin_host/status is not a PluginHost status; is this the host's API port?" },
        { "credentials in the URL are not repeated", "http://admin:S3cr3t@127.0.0.1:9", null, 1, "error: cannot reach the host's API at http://127.0.0.1:9/: " },
    };

    [Theory]
    [MemberData(nameof(BadStatusUrls))]
    public async Task Status_BadUrlOrNotTheHost_ExitsWithAClearErrorNoStackTrace(string name, string url, string? body, int exitCode, string error)
    {
        using var temp = new TempFolder();
        var config = Config(temp, "a\n");
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var answering = body is null ? Task.CompletedTask : AnswerOnceAsync(server, body);

        var result = await HostProcess.RunAsync("status", "--config-file", config, "--url", url.Replace("{port}", port, StringComparison.Ordinal));

        result.ExitCode.ShouldBe(exitCode, name + ": " + result.Stderr);
        result.Stderr.ShouldContain(error.Replace("{port}", port, StringComparison.Ordinal), Case.Sensitive, name);
        result.Stderr.ShouldNotContain("Exception", Case.Sensitive, name);
        result.Stderr.ShouldNotContain("S3cr3t", Case.Sensitive, name);
        await answering;
    }

    private static async Task AnswerOnceAsync(TcpListener server, string body)
    {
        using var client = await server.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
        var stream = client.GetStream();
        var request = new byte[8192];
        _ = await stream.ReadAsync(request, TestContext.Current.CancellationToken);
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(head, TestContext.Current.CancellationToken);
        await stream.WriteAsync(bytes, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Metrics_Scrape_IsValidPrometheusTextWithTheHostsSeries()
    {
        using var temp = new TempFolder();
        var config = Config(temp, "a\nb Down\n");
        await using var host = Start(config);
        var api = await host.ApiUrlAsync();
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };
        await host.WaitForLogAsync("echo snapshot applied");
        await host.WaitForGraphReadyAsync(http); // a moment after that line: the publication

        var response = await http.GetAsync("metrics", TestContext.Current.CancellationToken);
        var samples = PrometheusText.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        samples.Single(s => s.Name == "pluginhost_entities" && s.Labels["type"] == "echo.thing" && s.Labels["state"] == "ok").Value.ShouldBe(1);
        samples.Single(s => s.Name == "pluginhost_entities" && s.Labels["type"] == "echo.thing" && s.Labels["state"] == "Down").Value.ShouldBe(1);
        samples.Single(s => s.Name == "pluginhost_datasource_snapshot_duration_seconds_count" && s.Labels["datasource"] == "echo" && s.Labels["result"] == "complete").Value.ShouldBe(1);
        samples.Single(s => s.Name == "pluginhost_events_total" && s.Labels["datasource"] == "echo" && s.Labels["action"] == "init_snapshot").Value.ShouldBe(2);
        samples.Single(s => s.Name == "pluginhost_datasource_consecutive_failures" && s.Labels["datasource"] == "echo").Value.ShouldBe(0);
        samples.Single(s => s.Name == "pluginhost_datasource_last_success_timestamp_seconds").Value.ShouldBeGreaterThan(1_700_000_000);
        samples.ShouldContain(s => s.Name == "pluginhost_api_request_duration_seconds_count" && s.Labels["route"] == "/v1/status" && s.Labels["status"] == "200");
        samples.ShouldContain(s => s.Name == "pluginhost_queue_batches");
        samples.ShouldContain(s => s.Name == "process_cpu_seconds_total");
        samples.ShouldContain(s => s.Name == "process_working_set_bytes");
    }

    // Found by a hostile test (stop 39): every made-up method a client sent became a label value of
    // its own, so anyone reaching the port (no token needed) grew the host's memory and the scrape
    // without bound.
    [Theory]
    [InlineData("a method of HTTP", "DELETE", "DELETE")]
    [InlineData("a made-up method", "FROBNICATE", "_OTHER")]
    [InlineData("a method of WebDAV", "PROPFIND", "_OTHER")]
    public async Task Metrics_RequestWithAnyMethod_LabelsOnlyTheMethodsOfHttp(string name, string method, string label)
    {
        using var temp = new TempFolder();
        var config = Config(temp, "a\n");
        await using var host = Start(config);
        var api = await host.ApiUrlAsync();
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), "v1/status/"), TestContext.Current.CancellationToken);
        var metrics = await http.GetStringAsync("metrics", TestContext.Current.CancellationToken);

        var methods = PrometheusText.Parse(metrics).Where(s => s.Name == "pluginhost_api_request_duration_seconds_count" && s.Labels["route"] != "/metrics")
            .Select(s => s.Labels["method"]).ToList();
        methods.ShouldBe([label], name);
    }

    [Fact]
    public async Task Systemd_UnitFile_PassesSystemdAnalyzeVerify()
    {
        var analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        if (analyze is null)
        {
            Assert.Skip("systemd-analyze is not installed (scripts/test.sh installs Debian's systemd package)");
        }

        using var temp = new TempFolder();

        // The unit names the installed path; verify it against a host that exists here.
        var unit = File.ReadAllText(Path.Combine(TestRepository.Root, "etc", "systemd", "pluginhost.service"))
            .Replace("/usr/lib/pluginhost/PluginHost", Path.Combine(TestRepository.HostFolder, "PluginHost"), StringComparison.Ordinal);
        var path = temp.File("pluginhost.service", unit);
        var start = new ProcessStartInfo(analyze) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("verify");
        start.ArgumentList.Add(path);

        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        process.ExitCode.ShouldBe(0, stderr);
        stderr.ShouldBeEmpty(); // systemd only warns about a value it cannot parse
        unit.ShouldContain("Type=notify");
        unit.ShouldContain("ProtectSystem=strict");
        unit.ShouldContain("NoNewPrivileges=true");
        unit.ShouldContain("PrivateTmp=true");
        unit.ShouldContain("User=pluginhost");
    }
}
