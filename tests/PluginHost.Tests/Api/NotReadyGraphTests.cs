using PluginHost.KubeApiSimulator;

namespace PluginHost.Tests.Api;

/// <summary>
/// The real vitrage client against a host whose only datasource has never completed a snapshot
/// (its cluster answers 500 to everything): reads of the graph answer what <c>status</c> answers.
/// </summary>
public sealed class NotReadyGraphTests(NotReadyGraphTests.Fixture fixture) : IClassFixture<NotReadyGraphTests.Fixture>
{
    private const string NotReady =
        "The graph is not ready: datasource kubernetes has not completed a snapshot yet, so what it reports is missing (pluginhost status says why) (HTTP 503)";

    // Only status said so (945c94c): topology show, resource list and alarm list printed an empty
    // graph with exit 0, which read as an empty cloud. Vitrage answers 503 "vitrage-graph is not
    // ready" to each of them (its RootRestController, api/controllers/rest.py) until its graph is built.
    public static TheoryData<string[]> Reads => new()
    {
        new[] { "status" },
        new[] { "topology", "show", "--all-tenants" },
        new[] { "topology", "show" },
        new[] { "resource", "list", "--all-tenants" },
        new[] { "resource", "show", "9d1c0de3-0000-4000-8000-000000000000" },
        new[] { "resource", "count", "--all-tenants" },
        new[] { "alarm", "list", "--all-tenants" },
        new[] { "alarm", "show", "9d1c0de3-0000-4000-8000-000000000000" },
        new[] { "alarm", "count", "--all-tenants" },
        new[] { "alarm", "history", "--all-tenants" },
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task VitrageClient_ReadBeforeTheFirstCompleteSnapshot_FailsSayingTheGraphIsNotReady(string[] command)
    {
        var (exitCode, stdout, stderr) = await VitrageClient.RunAsync(fixture.Host.BaseUrl, command);

        exitCode.ShouldBe(1, $"vitrage {string.Join(' ', command)}: {stdout}{stderr}");
        (stdout + stderr).Trim().ShouldBe(NotReady, string.Join(' ', command));
    }

    // The 503s carried no Retry-After, so a client or a proxy had nothing to pace its retries by. The
    // fixture's datasource failed and waits out its retry (retry_initial_delay = 300): the graph cannot
    // be ready before that retry starts, and that is what the header says, not the constant of a
    // snapshot being read. The body stays the one the vitrage client prints (the theory above).
    public static TheoryData<string> NotReadyPaths => new() { "v1/status", "v1/resources/", "v1/alarm/", "v1/alarm/history", "readyz" };

    [Theory]
    [MemberData(nameof(NotReadyPaths))]
    public async Task Get_DatasourceFailedAndWaitingForItsRetry_503RetryAfterTheSecondsUntilTheRetry(string path)
    {
        using var response = await fixture.Host.GetAsync(path);

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.ServiceUnavailable, path);
        var seconds = response.Headers.RetryAfter?.Delta?.TotalSeconds;
        seconds.ShouldNotBeNull($"{path}: {response.Headers}");
        seconds.Value.ShouldBeInRange(PluginHost.Api.RetryAfter.WhileReading + 1, 300, path);
    }

    // While the first snapshot is being read nothing tells when it ends: a short constant.
    [Fact]
    public async Task Get_FirstSnapshotStillBeingRead_503RetryAfterAFewSeconds()
    {
        var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 2, api: "port = 0");
        cluster.Simulator.Faults.Add(new FaultRule(FaultKind.Latency) { Delay = TimeSpan.FromSeconds(50) });
        await using var host = await ApiHostProcess.StartOnAsync(cluster, nodes: 2, waitForGraph: false, ownsCluster: true);

        foreach (var path in new[] { "v1/status", "readyz" })
        {
            using var response = await host.GetAsync(path);
            response.StatusCode.ShouldBe(System.Net.HttpStatusCode.ServiceUnavailable, path);
            response.Headers.RetryAfter.ShouldNotBeNull(path).Delta.ShouldBe(TimeSpan.FromSeconds(PluginHost.Api.RetryAfter.WhileReading), path);
        }
    }

    // What tells how the host is doing, and the lists that never come from the graph, answer all the same.
    public static TheoryData<string[]> Answered => new()
    {
        new[] { "service", "list" },
        new[] { "template", "list" },
        new[] { "webhook", "list" },
    };

    [Theory]
    [MemberData(nameof(Answered))]
    public async Task VitrageClient_NotFromTheGraphBeforeTheFirstCompleteSnapshot_Answers(string[] command)
    {
        var (exitCode, stdout, stderr) = await VitrageClient.RunAsync(fixture.Host.BaseUrl, [.. command, "-f", "json"]);

        exitCode.ShouldBe(0, $"vitrage {string.Join(' ', command)}: {stdout}{stderr}");
    }

    // Readiness counted each runner's completed snapshots: a reload that creates a datasource's driver
    // again (its kubeconfig edited) starts a runner at 0, so status, and every read with it, answered 503
    // while the graph held all the datasource's entities, for good if the new driver's snapshots fail.
    // It is the graph's now: a complete snapshot of the datasource is in the published graph.
    [Fact]
    public async Task VitrageClient_DriverCreatedAgainByAReloadAndFailing_StatusAndReadsStillAnswer()
    {
        var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 2, api: "port = 0");
        await using var host = await ApiHostProcess.StartOnAsync(cluster, nodes: 2, ownsCluster: true);
        cluster.Simulator.Faults.Add(new FaultRule(FaultKind.InternalError)); // the new driver's snapshots fail
        File.AppendAllText(cluster.Folder.Combine("kubeconfig"), "\n");
        await host.HangUpAsync();
        await host.WaitForLogAsync("its driver was created again");

        (await VitrageClient.RunJsonAsync(host.BaseUrl, "status")).GetProperty("reason").GetString().ShouldBe("OK");
        (await VitrageClient.RunJsonAsync(host.BaseUrl, "resource", "list", "--all-tenants", "--type", "kubernetes.node")).GetArrayLength().ShouldBe(2);
        using var readiness = await host.GetAsync("readyz");
        readiness.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }

    // Ready meant every datasource had a complete snapshot in the graph (945c94c), so one datasource
    // that never succeeded (its cluster unreachable, its broker down) held every read of the others at
    // 503 for as long as it failed: one failing plugin stopped the others. Vitrage's graph is ready once
    // each driver's first get_all was tried, failed or not; here once no first snapshot is still being
    // read and one datasource's is in the graph (all failing is still 503, the fixture's case).
    [Fact]
    public async Task VitrageClient_OneDatasourceFailingBesideOneInTheGraph_ReadsAnswerWithWhatIsThere()
    {
        var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 2, api: "port = 0");
        cluster.Simulator.Faults.Add(new FaultRule(FaultKind.InternalError));
        var folder = cluster.Folder.Combine("static");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "switches.yaml"),
            "metadata:\n  name: switches\ndefinitions:\n  entities:\n    - {static_id: s1, type: switch, id: sw-1, name: switch-1, state: available}\n");
        File.WriteAllText(cluster.ConfigFile, File.ReadAllText(cluster.ConfigFile).Replace("types = kubernetes", "types = kubernetes, static", StringComparison.Ordinal)
            + $"\n[static]\ndirectory = {folder}\n");
        await using var host = await ApiHostProcess.StartOnAsync(cluster, nodes: 2, waitForGraph: false, ownsCluster: true);
        await host.WaitForLogAsync("init_snapshot failed");

        var deadline = DateTime.UtcNow.AddSeconds(20);
        var status = await VitrageClient.RunAsync(host.BaseUrl, ["status"]);
        while (status.ExitCode != 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            status = await VitrageClient.RunAsync(host.BaseUrl, ["status"]);
        }

        status.ExitCode.ShouldBe(0, $"{status.Stdout}{status.Stderr}");
        var switches = await VitrageClient.RunJsonAsync(host.BaseUrl, "resource", "list", "--all-tenants", "--type", "switch");
        switches.GetArrayLength().ShouldBe(1);
        (await VitrageClient.RunJsonAsync(host.BaseUrl, "resource", "list", "--all-tenants", "--type", "kubernetes.node")).GetArrayLength().ShouldBe(0);
        using var readiness = await host.GetAsync("readyz"); // the probe goes by the same rule: the API stays in its Service
        readiness.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }

    /// <summary>A host on a cluster that answers 500 to every request, for as long as the tests run.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        internal ApiHostProcess Host { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            // A retry long after the tests: Retry-After counts down to it.
            var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 2, api: "port = 0", sections: "[plugin_host]\nretry_initial_delay = 300");
            cluster.Simulator.Faults.Add(new FaultRule(FaultKind.InternalError));
            Host = await ApiHostProcess.StartOnAsync(cluster, nodes: 2, waitForGraph: false, ownsCluster: true);
            await Host.WaitForLogAsync("init_snapshot failed");
        }

        public async ValueTask DisposeAsync()
        {
            if (Host is not null)
            {
                await Host.DisposeAsync();
            }
        }
    }
}
