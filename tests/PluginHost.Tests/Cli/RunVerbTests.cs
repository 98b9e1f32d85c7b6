using System.Text.Json;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Cli;

/// <summary><c>run</c> as an operator's service manager drives it: signals at any moment, reloads.</summary>
public sealed class RunVerbTests(EchoPluginFolder plugins) : IClassFixture<EchoPluginFolder>
{
    private string Config(TempFolder temp, string entities, string extra = "", string name = "vitrage.conf")
    {
        var entitiesFile = temp.File("entities", entities);
        return temp.File(name, $"""
            [datasources]
            plugin_path = {plugins.Plugins}
            snapshots_interval = 10
            [api]
            port = 0
            [echo]
            entities_file = {entitiesFile}
            {extra}
            """);
    }

    // The driver's line at the end of each snapshot, complete or failed.
    private static int SnapshotEnds(string stderr) =>
        stderr.Split('\n').Count(l => l.Contains("echo ", StringComparison.Ordinal)
            && (l.Contains("snapshot complete: ", StringComparison.Ordinal) || l.Contains("snapshot failed", StringComparison.Ordinal)));

    private static int Nodes(string graphFile) => JsonDocument.Parse(File.ReadAllText(graphFile)).RootElement.GetProperty("nodes").GetArrayLength();

    [Theory]
    [InlineData("SIGTERM", RunningHost.SigTerm)]
    [InlineData("SIGINT", RunningHost.SigInt)]
    public async Task Run_StopSignal_StopsGracefullyFlushesOutputsAndExitsZero(string name, int signal)
    {
        Assert.SkipWhen(signal == RunningHost.SigInt && InheritedSignals.SigIntIgnored, InheritedSignals.SigIntIgnoredReason);
        using var temp = new TempFolder();
        var graphFile = temp.Combine("graph.json");
        var eventLog = temp.Combine("events.jsonl");
        var config = Config(temp, "a\nb\n", $"[plugin_host]\ngraph_file = {graphFile}\nevent_log = {eventLog}\n");
        await using var host = RunningHost.Start("run", "--config-file", config);
        await host.WaitUntilAsync(() => File.Exists(graphFile), "the graph file");

        host.Signal(signal);
        await host.WaitForExitAsync();

        host.ExitCode.ShouldBe(0, name);
        host.Stderr.ShouldContain("Stopped", Case.Sensitive, name);
        host.Stderr.ShouldNotContain("Application started", Case.Sensitive, name); // no hosting boilerplate
        File.ReadAllLines(eventLog).Length.ShouldBeGreaterThanOrEqualTo(2, name);
        Nodes(graphFile).ShouldBe(4, name);
    }

    // case, the echo plugin's entities, [plugin_host] lines, the debug line expected after the first snapshot (null: none about memory)
    public static TheoryData<string, string, string, string?> MemoryReleases => new()
    {
        { "default bound: released", "a\nb\n", "", "Memory released after the snapshot in " },
        { "0: never", "a\nb\n", "release_memory_below = 0\n", null },
        { "a bound under the heap: the first complete snapshot still releases", "a\nb\n", "release_memory_below = 1\n", "Memory released after the snapshot in " },
        { "a snapshot that failed part-way: not released", "a\nFAIL broken\n", "", null },
    };

    [Theory]
    [MemberData(nameof(MemoryReleases))]
    public async Task Run_SnapshotApplied_ReleasesMemoryOnlyAfterACompleteOneWithinTheBound(string name, string entities, string lines, string? expected)
    {
        using var temp = new TempFolder();
        var config = Config(temp, entities, $"[plugin_host]\nlog_level = debug\n{lines}");
        await using var host = RunningHost.Start("run", "--config-file", config);
        await host.WaitForLogAsync("echo snapshot applied");
        if (expected is not null)
        {
            await host.WaitForLogAsync(expected);
        }
        else
        {
            // The next snapshot's end (10 s later): long after a release of the first would have run,
            // so the stop below (which skips releases) cannot be what kept one from the log.
            await host.WaitUntilAsync(() => SnapshotEnds(host.Stderr) >= 2, "the second snapshot's end");
        }

        host.Signal(RunningHost.SigTerm);
        await host.WaitForExitAsync();

        host.ExitCode.ShouldBe(0, name);
        if (expected is null)
        {
            host.Stderr.ShouldNotContain("Memory released", Case.Sensitive, name);
            host.Stderr.ShouldNotContain("Memory not released", Case.Sensitive, name);
        }
    }

    [Fact]
    public async Task Run_SigtermWhileADriverIsBeingCreated_StopsInOrderAndExitsZero()
    {
        using var temp = new TempFolder();
        var config = Config(temp, "a\n", "create_delay_ms = 3000");
        await using var host = RunningHost.Start("run", "--config-file", config);
        await host.WaitForLogAsync("echo: creating the driver takes 3000 ms");

        host.Signal(RunningHost.SigTerm);
        var took = await host.WaitForExitAsync();

        host.ExitCode.ShouldBe(0, host.Stderr); // not 143: the signal handler is there before the drivers
        took.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        host.Stderr.ShouldNotContain("Unhandled exception");
    }

    [Fact]
    public async Task Run_StopThatOverrunsTheShutdownTimeout_ExitsZeroAnyway()
    {
        using var temp = new TempFolder();
        var config = Config(temp, "a\n", "create_delay_ms = 20000\n[plugin_host]\nshutdown_timeout = 1\n");
        await using var host = RunningHost.Start("run", "--config-file", config);
        await host.WaitForLogAsync("echo: creating the driver takes 20000 ms");

        host.Signal(RunningHost.SigTerm);
        var took = await host.WaitForExitAsync();

        host.ExitCode.ShouldBe(0, host.Stderr);
        took.ShouldBeLessThan(TimeSpan.FromSeconds(10)); // 1 s and a margin, not the 20 s the driver takes
        host.Stderr.ShouldContain("([plugin_host] shutdown_timeout): exiting now");
    }

    [Fact]
    public async Task Run_Sighup_ReloadsOutputsAndLogLevelAndKeepsRunning()
    {
        using var temp = new TempFolder();
        var first = temp.Combine("first.json");
        var second = temp.Combine("second.json");
        var config = Config(temp, "a\nb\n", $"[plugin_host]\ngraph_file = {first}\n");
        await using var host = RunningHost.Start("run", "--config-file", config);
        await host.WaitUntilAsync(() => File.Exists(first), "the first graph file");

        File.WriteAllText(config, File.ReadAllText(config).Replace(first, second, StringComparison.Ordinal) + "log_level = debug\n");
        host.Signal(RunningHost.SigHup);
        await host.WaitForLogAsync("Configuration reloaded: outputs: graph_file, alarm_history -> graph_file, alarm_history");
        await host.WaitForLogAsync("Configuration reloaded: log level: Information -> Debug");

        // The new file gets the graph at the next change; the datasource's next snapshot is one.
        await host.WaitUntilAsync(() => File.Exists(second), "the second graph file", seconds: 30);
        Nodes(second).ShouldBe(4);
        host.HasExited.ShouldBeFalse(); // SIGHUP used to kill it (exit 129)
        host.Stderr.ShouldNotContain("SIGHUP is ignored");
        host.Signal(RunningHost.SigTerm);
        await host.WaitForExitAsync();
        host.ExitCode.ShouldBe(0);
    }

    // Found by a hostile test (s43): under nohup a reload never happened and nothing said why.
    [Fact]
    public async Task Run_StartedWithSighupIgnored_WarnsThatReloadsCannotReachIt()
    {
        using var temp = new TempFolder();
        var graphFile = temp.Combine("graph.json");
        var config = Config(temp, "a\n", $"[plugin_host]\ngraph_file = {graphFile}\n");
        await using var host = RunningHost.StartIgnoring(RunningHost.SigHup, "run", "--config-file", config);

        await host.WaitForLogAsync("SIGHUP is ignored by this process");
        await host.WaitUntilAsync(() => File.Exists(graphFile), "the graph file"); // it runs all the same
        host.Signal(RunningHost.SigTerm);
        await host.WaitForExitAsync();
        host.ExitCode.ShouldBe(0, host.Stderr);
    }

    [Theory]
    [InlineData("a word", "queue_capacity = lots", "[plugin_host] queue_capacity = 'lots': expected an integer of at least 1")]
    // A number past 32 bits used to pass validation and overflow a TimeSpan: the reload ended the
    // service with exit 0, which systemd's Restart=on-failure does not restart.
    [InlineData("a number past 32 bits", "retry_initial_delay = 99999999999999",
        "[plugin_host] retry_initial_delay = '99999999999999': expected an integer from 1 to 2147483647")]
    public async Task Run_SighupWithAnInvalidConfiguration_KeepsTheRunningOneAndSaysWhy(string name, string line, string error)
    {
        using var temp = new TempFolder();
        var graphFile = temp.Combine("graph.json");
        var config = Config(temp, "a\n", $"[plugin_host]\ngraph_file = {graphFile}\n");
        await using var host = RunningHost.Start("run", "--config-file", config);
        await host.WaitUntilAsync(() => File.Exists(graphFile), "the graph file");

        File.AppendAllText(config, line + "\n");
        host.Signal(RunningHost.SigHup);
        await host.WaitForLogAsync("Reload refused, the running configuration is kept:");

        host.Stderr.ShouldContain(error, Case.Sensitive, name);
        host.HasExited.ShouldBeFalse(name);
        host.Signal(RunningHost.SigTerm);
        await host.WaitForExitAsync();
        host.ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task Run_SighupTurningOnKeystone_SaysItNeedsARestartAndTheRunningApiStaysAsItWas()
    {
        const string password = "r3load-s3cret-pw";
        using var temp = new TempFolder();
        var config = Config(temp, "a\n");
        await using var host = RunningHost.Start("run", "--config-file", config);
        await host.WaitForLogAsync("REST API listening on ");
        var url = System.Text.RegularExpressions.Regex.Match(host.Stderr, @"REST API listening on (http://\S+) ").Groups[1].Value;
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
        await host.WaitForGraphReadyAsync(http); // reads answer 503 before

        File.WriteAllText(config, File.ReadAllText(config).Replace("[api]\n", "[api]\nauth_mode = keystone\n", StringComparison.Ordinal)
            + $"\n[keystone_authtoken]\nauth_url = http://127.0.0.1:9/v3\nusername = vitrage\npassword = {password}\n");
        host.Signal(RunningHost.SigHup);
        await host.WaitForLogAsync("auth_mode keystone: it takes effect after a restart");

        host.Stderr.ShouldContain("[keystone_authtoken] changed from none to Keystone http://127.0.0.1:9/v3/ as vitrage@Default (project service)");
        host.Stderr.ShouldNotContain("Configuration reloaded: nothing changed");
        host.Stderr.ShouldNotContain(password);
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/resources/");
        request.Headers.Add("X-Roles", "admin");
        request.Headers.Add("X-Project-Id", "admin");
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK); // still noauth until a restart, as the log says
        host.Signal(RunningHost.SigTerm);
        await host.WaitForExitAsync();
        host.ExitCode.ShouldBe(0);
    }

    // Found by a hostile test (s44): the kubeconfig is read when the driver is made, and a reload
    // compared only vitrage.conf's values. An operator who renewed a revoked token in config_file
    // (docs/deploy.md's recipe) and reloaded read "nothing changed", and every snapshot went on
    // failing with the old token, telling them to check the kubeconfig they had just fixed.
    [Fact]
    public async Task Run_SighupAfterTheKubeconfigWasEdited_CreatesTheDriverAgainWithTheNewCredentials()
    {
        using var temp = new TempFolder();
        await using var simulator = await KubeApiSimulator.KubeApiSimulator.StartAsync(
            new KubeApiSimulator.SimulatorOptions { NodeCount = 3, Https = true, Auth = KubeApiSimulator.SimulatorAuth.Token });
        var kubeconfig = temp.Combine("kubeconfig");
        await simulator.WriteKubeconfigAsync(kubeconfig);
        var renewed = File.ReadAllText(kubeconfig);
        File.WriteAllText(kubeconfig, renewed.Replace(simulator.Options.Token, "revoked-token", StringComparison.Ordinal));
        var graphFile = temp.Combine("graph.json");
        var config = KubernetesRetryingSoon(temp, graphFile, kubeconfig);
        await using var host = RunningHost.Start("run", "--config-file", config);
        await host.WaitForLogAsync("answered 401 Unauthorized");

        File.WriteAllText(kubeconfig, renewed);
        host.Signal(RunningHost.SigHup);

        await host.WaitForLogAsync($"Configuration reloaded: datasource kubernetes: config_file {kubeconfig} changed, its driver was created again");
        await host.WaitUntilAsync(() => File.Exists(graphFile) && File.ReadAllText(graphFile).Contains("kubernetes.node", StringComparison.Ordinal),
            "the nodes in the graph, read with the renewed token");
        host.Stderr.ShouldNotContain(simulator.Options.Token);
        host.Signal(RunningHost.SigTerm);
        await host.WaitForExitAsync();
        host.ExitCode.ShouldBe(0, host.Stderr);
    }

    public enum RenewedFiles
    {
        CertificateFiles,
        CertificateFilesInASecretVolume,
        KubeconfigFromEnvironment,
    }

    public static TheoryData<string, RenewedFiles> RenewedCredentials => new()
    {
        // Found by a hostile test (s45): only config_file's own file was stamped, and a renewed client
        // certificate in the file the kubeconfig names went on being refused after a reload (80f8043).
        { "client certificate and key files the kubeconfig names", RenewedFiles.CertificateFiles },
        // Found in review (s46): a Kubernetes Secret volume links each file through "..data", which
        // the kubelet swaps whole; the stamp was the link's own, which never changes, so a certificate
        // cert-manager renewed was refused after every reload until a restart.
        { "client certificate and key in a Kubernetes Secret volume, ..data swapped", RenewedFiles.CertificateFilesInASecretVolume },
        // Without config_file, the kubeconfig $KUBECONFIG names was not stamped at all.
        { "kubeconfig found through $KUBECONFIG", RenewedFiles.KubeconfigFromEnvironment },
    };

    [Theory]
    [MemberData(nameof(RenewedCredentials))]
    public async Task Run_SighupAfterAFileTheKubeconfigNamesWasRenewed_CreatesTheDriverAgainWithTheNewCredentials(string name, RenewedFiles renewed)
    {
        var certificateFiles = renewed != RenewedFiles.KubeconfigFromEnvironment;
        using var temp = new TempFolder();
        await using var simulator = await KubeApiSimulator.KubeApiSimulator.StartAsync(new KubeApiSimulator.SimulatorOptions
        {
            NodeCount = 3,
            Https = true,
            Auth = certificateFiles ? KubeApiSimulator.SimulatorAuth.ClientCertificate : KubeApiSimulator.SimulatorAuth.Token,
        });
        var pki = simulator.Certificates!;
        using var stranger = KubeApiSimulator.SimulatorCertificates.Create("stranger"); // a client certificate of another CA: refused
        var kubeconfig = temp.Combine("kubeconfig");
        var secretVolume = renewed == RenewedFiles.CertificateFilesInASecretVolume ? new SecretVolume(temp.Combine("secret")) : null;
        var strangerFiles = new Dictionary<string, string>
        {
            ["client.crt"] = KubeApiSimulator.SimulatorCertificates.ToPem(stranger.Client),
            ["client.key"] = KubeApiSimulator.SimulatorCertificates.PrivateKeyPem(stranger.Client),
        };
        secretVolume?.Write(strangerFiles);
        var certificate = secretVolume?.Combine("client.crt") ?? temp.File("client.crt", strangerFiles["client.crt"]);
        var key = secretVolume?.Combine("client.key") ?? temp.File("client.key", strangerFiles["client.key"]);
        var authority = temp.File("ca.crt", KubeApiSimulator.SimulatorCertificates.ToPem(pki.Authority));
        string Kubeconfig(string token) => $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sim
              cluster:
                server: {simulator.BaseUrl.ToString().TrimEnd('/')}
                certificate-authority: {authority}
            contexts:
            - name: sim
              context: {"{"}cluster: sim, user: sim{"}"}
            current-context: sim
            users:
            - name: sim
              user:
                {(certificateFiles ? $"client-certificate: {certificate}\n    client-key: {key}" : $"token: {token}")}
            """;
        File.WriteAllText(kubeconfig, Kubeconfig("revoked-token"));
        var graphFile = temp.Combine("graph.json");
        var config = KubernetesRetryingSoon(temp, graphFile, certificateFiles ? kubeconfig : null);
        await using var host = RunningHost.Start(new Dictionary<string, string> { ["KUBECONFIG"] = kubeconfig }, "run", "--config-file", config);
        await host.WaitForLogAsync("answered 401 Unauthorized");

        if (secretVolume is not null)
        {
            secretVolume.Write(new Dictionary<string, string>
            {
                ["client.crt"] = KubeApiSimulator.SimulatorCertificates.ToPem(pki.Client),
                ["client.key"] = KubeApiSimulator.SimulatorCertificates.PrivateKeyPem(pki.Client),
            });
        }
        else if (certificateFiles)
        {
            File.WriteAllText(certificate, KubeApiSimulator.SimulatorCertificates.ToPem(pki.Client));
            File.WriteAllText(key, KubeApiSimulator.SimulatorCertificates.PrivateKeyPem(pki.Client));
        }
        else
        {
            File.WriteAllText(kubeconfig, Kubeconfig(simulator.Options.Token));
        }

        host.Signal(RunningHost.SigHup);

        await host.WaitForLogAsync(
            $"Configuration reloaded: datasource kubernetes: {(certificateFiles ? $"{certificate}, {key}" : kubeconfig)} changed, its driver was created again");
        await host.WaitUntilAsync(() => File.Exists(graphFile) && File.ReadAllText(graphFile).Contains("kubernetes.node", StringComparison.Ordinal),
            $"the nodes in the graph, read with the renewed credentials ({name})");
        host.Stderr.ShouldNotContain(simulator.Options.Token);
        host.Signal(RunningHost.SigTerm);
        await host.WaitForExitAsync();
        host.ExitCode.ShouldBe(0, host.Stderr);
    }

    [Fact]
    public async Task Run_SighupDisablingADatasource_StopsItAndDeletesItsEntities()
    {
        using var temp = new TempFolder();
        var graphFile = temp.Combine("graph.json");
        temp.File("static/rack.yaml", "definitions:\n  entities:\n    - {static_id: r, type: rack, id: rack-1, name: rack-1}\n");
        var config = Config(temp, "a\n", $"""
            [datasources]
            types = echo, static
            plugin_path = {plugins.Plugins}, {TestRepository.HostPluginFolder}
            [static]
            directory = {temp.Combine("static")}
            [plugin_host]
            graph_file = {graphFile}
            """);
        await using var host = RunningHost.Start("run", "--config-file", config);
        await host.WaitUntilAsync(() => File.Exists(graphFile) && File.ReadAllText(graphFile).Contains("rack-1", StringComparison.Ordinal), "the static rack in the graph");

        File.WriteAllText(config, File.ReadAllText(config).Replace("types = echo, static", "types = echo", StringComparison.Ordinal));
        host.Signal(RunningHost.SigHup);
        await host.WaitForLogAsync("Configuration reloaded: datasource static disabled: stopped, its entities deleted");

        await host.WaitUntilAsync(() => !File.ReadAllText(graphFile).Contains("rack-1", StringComparison.Ordinal), "the rack to leave the graph", seconds: 10);
        File.ReadAllText(graphFile).ShouldContain("thing-a");
        host.Signal(RunningHost.SigTerm);
        await host.WaitForExitAsync();
        host.ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task Run_DatasourceErrorWithControlCharacters_IsLoggedEscapedOnOneLine()
    {
        using var temp = new TempFolder();
        var config = Config(temp, "a\nFAIL \\e[31mred\\nforged: line\n");
        await using var host = RunningHost.Start("run", "--config-file", config);
        await host.WaitForLogAsync("init_snapshot failed");

        host.Signal(RunningHost.SigTerm);
        await host.WaitForExitAsync();
        var line = host.Stderr.Split('\n').Single(l => l.Contains("init_snapshot failed", StringComparison.Ordinal));
        line.ShouldContain("echo: \\u001b[31mred\\nforged: line");
        host.Stderr.ShouldNotContain("\u001b");
        host.Stderr.Split('\n').ShouldNotContain(l => l.StartsWith("forged", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_EntitiesChangeBetweenSnapshots_AnInfoLineSaysWhatChanged()
    {
        using var temp = new TempFolder();
        var config = Config(temp, "a\nb\nc\n");
        await using var host = RunningHost.Start("run", "--config-file", config);
        await host.WaitForLogAsync("echo snapshot applied: 3 added (echo.thing thing-a, thing-b, thing-c)");

        File.WriteAllText(temp.Combine("entities"), "a Down\nb\nd\n");

        await host.WaitForLogAsync("echo snapshot applied: 1 added (echo.thing thing-d), 1 deleted (echo.thing thing-c), 1 changed state (thing-a Down)", seconds: 30);
        host.Signal(RunningHost.SigTerm);
        await host.WaitForExitAsync();
    }

    [Fact]
    public async Task Run_LongSnapshot_SaysHowFarItGotEveryFiveSeconds()
    {
        using var temp = new TempFolder();
        var config = Config(temp, string.Concat(Enumerable.Range(0, 14).Select(i => $"e{i}\n")), "line_delay_ms = 500");
        await using var host = RunningHost.Start("run", "--config-file", config);

        await host.WaitForLogAsync("echo init_snapshot complete: 14 events", seconds: 30);

        host.Stderr.ShouldContain("echo init_snapshot in progress: ");
        host.Stderr.ShouldContain(" events so far, 5 s");
        host.Signal(RunningHost.SigTerm);
        await host.WaitForExitAsync();
    }

    // The Kubernetes datasource alone, retrying a failed snapshot within a second or two, the graph
    // written to graphFile, no API; the kubeconfig from config_file, or without one from $KUBECONFIG.
    private static string KubernetesRetryingSoon(TempFolder temp, string graphFile, string? kubeconfig) => temp.File("vitrage.conf", $"""
        [datasources]
        types = kubernetes
        plugin_path = {TestRepository.HostPluginFolder}
        [plugin_host]
        graph_file = {graphFile}
        state_dir = {temp.Combine("state")}
        retry_initial_delay = 1
        retry_max_delay = 2
        [api]
        enabled = false
        [kubernetes]
        {(kubeconfig is null ? string.Empty : $"config_file = {kubeconfig}")}
        """);
}
