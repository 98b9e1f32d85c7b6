using PluginHost.Tests.Support;

namespace PluginHost.Tests.Cli;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("run")]
    [InlineData("snapshot")]
    [InlineData("plugins")]
    [InlineData("genconfig")]
    [InlineData("check-config")]
    public async Task Help_EveryVerb_PrintsUsageAndExitsZero(string verb)
    {
        var result = await HostProcess.RunAsync(verb, "--help");

        result.ExitCode.ShouldBe(0);
        result.Stdout.ShouldContain("Usage:");
        result.Stdout.ShouldContain(verb);
    }

    // A regular file with a size is opened at once; anything else (size 0) is opened on a thread
    // waited for at most 5 s, so a symbolic link to a FIFO must not take the quick way.
    [Theory]
    [InlineData("named pipe", false)]
    [InlineData("symbolic link to a named pipe", true)]
    public async Task CheckConfig_ConfigFileIsANamedPipe_ExitsTwoNamingItWithinSeconds(string name, bool throughLink)
    {
        using var temp = new TempFolder();
        var fifo = temp.Combine("pipe");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var config = temp.Combine("vitrage.conf");
        if (throughLink)
        {
            File.CreateSymbolicLink(config, fifo);
        }
        else
        {
            File.Move(fifo, config);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await HostProcess.RunAsync("check-config", "--config-file", config);

        result.ExitCode.ShouldBe(2, $"{name}: {result.Stderr}");
        result.Stderr.ShouldContain($"{config}: did not open within 5 s (a named pipe without a writer?)", Case.Sensitive, name);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), name);
    }

    [Fact]
    public async Task Version_PrintsTheVersion()
    {
        var result = await HostProcess.RunAsync("--version");

        result.ExitCode.ShouldBe(0);
        result.Stdout.Trim().ShouldStartWith("0.1.0");
    }

    [Theory]
    [InlineData("unknown verb", new[] { "frobnicate" })]
    [InlineData("unknown option", new[] { "snapshot", "--frobnicate" })]
    [InlineData("bad format", new[] { "snapshot", "--format", "xml" })]
    [InlineData("no verb", new string[0])]
    public async Task Usage_Invalid_ExitsTwo(string name, string[] args)
    {
        var result = await HostProcess.RunAsync(args);

        result.ExitCode.ShouldBe(2, name);
        result.Stderr.ShouldContain("error: ", Case.Sensitive, name);
    }

    // case, the verb and its arguments, how the shell points standard output ({config}: an echo config).
    // Each used to end in the runtime's stack trace (UnauthorizedAccessException for a closed
    // descriptor, IOException "No space left on device" for /dev/full).
    public static TheoryData<string, string, string> UnwritableStdout => new()
    {
        { "genconfig to /dev/full", "genconfig", ">/dev/full" },
        { "plugins, stdout closed", "plugins", ">&-" },
        { "check-config to /dev/full", "check-config --config-file {config}", ">/dev/full" },
        { "snapshot table, stdout closed", "snapshot --config-file {config}", ">&-" },
        { "snapshot JSON to /dev/full", "snapshot --format json --config-file {config}", ">/dev/full" },
    };

    [Theory]
    [MemberData(nameof(UnwritableStdout))]
    public async Task Verb_StdoutCannotBeWritten_ExitsOneWithOneErrorLine(string name, string verb, string redirect)
    {
        using var temp = new TempFolder();
        var entities = temp.File("entities", "a\n");
        temp.DropPlugin(temp.Combine("plugins"), TestRepository.TestPluginOutput("PluginHost.TestPlugins.Echo"));
        var config = temp.File("vitrage.conf", $"[datasources]\nplugin_path = {temp.Combine("plugins")}\n[echo]\nentities_file = {entities}\n");
        var start = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec dotnet \"$0\" {verb.Replace("{config}", config, StringComparison.Ordinal)} --config-dir {EmptyConfigDir()} {redirect}");
        start.ArgumentList.Add(TestRepository.HostDll);

        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        process.ExitCode.ShouldBe(1, $"{name}\n{stderr}");
        stderr.ShouldContain("error: cannot write to standard output: ", Case.Sensitive, name);
        stderr.ShouldNotContain("Exception", Case.Sensitive, name);
    }

    [Fact]
    public async Task Plugins_DefaultPluginPath_ListsTheKubernetesPluginBesideTheHost()
    {
        var result = await HostProcess.RunAsync("plugins", "--config-dir", EmptyConfigDir());

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("kubernetes 0.1.0 (enabled)");
        result.Stdout.ShouldContain($"folder: {Path.Combine(TestRepository.HostPluginFolder, "PluginHost.Datasources.Kubernetes")}");
        result.Stdout.ShouldContain("page_size = 500 (an integer from 1 to 10000)");
    }

    [Fact]
    public async Task Genconfig_CommittedSample_IsUpToDate()
    {
        var result = await HostProcess.RunAsync("genconfig", "--config-dir", EmptyConfigDir());

        result.ExitCode.ShouldBe(0, result.Stderr);
        var committed = await File.ReadAllTextAsync(Path.Combine(TestRepository.Root, "etc", "vitrage.conf"));
        result.Stdout.ShouldBe(committed, "etc/vitrage.conf is stale: regenerate it with `dotnet run --project host/PluginHost -- genconfig > etc/vitrage.conf`");
    }

    [Fact]
    public async Task Genconfig_PluginSamples_AreUpToDate()
    {
        foreach (var (name, folder) in new[] { ("kubernetes", "PluginHost.Datasources.Kubernetes"), ("static", "PluginHost.Datasources.Static"), ("notifications", "PluginHost.Datasources.Notifications") })
        {
            var result = await HostProcess.RunAsync("genconfig", "--datasource", name, "--config-dir", EmptyConfigDir());

            result.ExitCode.ShouldBe(0, result.Stderr);
            var committed = await File.ReadAllTextAsync(Path.Combine(TestRepository.Root, "plugins", folder, "sample.conf"));
            result.Stdout.ShouldBe(committed, $"plugins/{folder}/sample.conf is stale: regenerate it with genconfig --datasource {name}");
        }
    }

    [Fact]
    public async Task CheckConfig_MissingKubeconfig_ExitsTwoNamingTheFile()
    {
        using var temp = new TempFolder();
        var config = temp.File("vitrage.conf", "[datasources]\ntypes = kubernetes\n[kubernetes]\nconfig_file = /nonexistent/kubeconfig\n");

        var result = await HostProcess.RunAsync("check-config", "--config-file", config);

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("error: [kubernetes] kubeconfig /nonexistent/kubeconfig ([kubernetes] config_file) does not exist");
    }

    [Fact]
    public async Task CheckConfig_ManyProblems_ReportsEveryOneInOneRun()
    {
        using var temp = new TempFolder();
        var config = temp.File("vitrage.conf", $"""
            [datasources]
            types = kubernetes, static, nosuch
            [plugin_host]
            queue_capacity = lots
            [kubernetes]
            config_file = /nonexistent/kubeconfig
            [static]
            directory = /nonexistent/static
            """);

        var result = await HostProcess.RunAsync("check-config", "--config-file", config);

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain($"error: {config}:4: [plugin_host] queue_capacity = 'lots': expected an integer of at least 1");
        result.Stderr.ShouldContain($"error: {config}:2: [datasources] types names 'nosuch', but no such plugin was found");
        result.Stderr.ShouldContain("error: [kubernetes] kubeconfig /nonexistent/kubeconfig ([kubernetes] config_file) does not exist");
        result.Stderr.ShouldContain("error: [static] static folder /nonexistent/static ([static] directory) does not exist");
    }

    // An operator's vitrage.conf as it is: Vitrage's own datasources in types and its MySQL database.
    [Fact]
    public async Task CheckConfig_VitragesOwnTypesAndDatabase_PassesWithWarnings()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("static"));
        var config = temp.File("vitrage.conf", $"""
            [datasources]
            types = nova.host,nova.instance,nova.zone,static,aodh,cinder.volume,neutron.network,neutron.port
            [plugin_host]
            state_dir = {temp.Combine("state")}
            [static]
            directory = {temp.Combine("static")}
            [database]
            connection = mysql+pymysql://vitrage:Db-S3cret@controller/vitrage?charset=utf8
            """);

        var result = await HostProcess.RunAsync("check-config", "--config-file", config);

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stderr.ShouldContain($"{config}:2: [datasources] types names Vitrage's nova.host, nova.instance, nova.zone, aodh, cinder.volume, neutron.network, neutron.port, which no plugin in ");
        result.Stderr.ShouldContain("[database] connection: the scheme 'mysql+pymysql' is not one PluginHost writes");
        result.Stderr.ShouldNotContain("Db-S3cret");
    }

    // case, extra config, exit code, what stdout says (null: nothing), what stderr says (null: no error).
    // A datasource left out when its driver is created used to be listed as enabled, with the
    // configuration OK, while run ran nothing.
    public static TheoryData<string, string, int, string?, string?> LeftOutCases => new()
    {
        { "the only datasource fails to start", "[datasources]\ntypes = echo\n[echo]\nfail_on_create = true\n", 2,
            null, "error: no datasource would run: echo left out (see the warnings above)" },
        { "one of two left out (types empty, no kubeconfig)", "[kubernetes]\nconfig_file = /nonexistent/kubeconfig\n", 0,
            "Enabled datasources: echo\nLeft out: kubernetes (see the warning on standard error)\n", null },
    };

    [Theory]
    [MemberData(nameof(LeftOutCases))]
    public async Task CheckConfig_DatasourceLeftOut_IsNotCalledEnabled(string name, string extra, int exitCode, string? stdout, string? error)
    {
        using var temp = new TempFolder();
        var entities = temp.File("entities", "a\n");
        temp.DropPlugin(temp.Combine("plugins"), TestRepository.TestPluginOutput("PluginHost.TestPlugins.Echo"));
        temp.DropPlugin(temp.Combine("plugins"), Path.Combine(TestRepository.HostPluginFolder, "PluginHost.Datasources.Kubernetes"));
        var config = temp.File("vitrage.conf", $"[datasources]\nplugin_path = {temp.Combine("plugins")}\n[echo]\nentities_file = {entities}\n{extra}");

        var result = await HostProcess.RunAsync("check-config", "--config-file", config);

        result.ExitCode.ShouldBe(exitCode, $"{name}\n{result.Stderr}");
        if (stdout is not null)
        {
            result.Stdout.ShouldContain(stdout, Case.Sensitive, name);
        }

        if (error is not null)
        {
            result.Stderr.ShouldContain(error, Case.Sensitive, name);
        }
    }

    public static TheoryData<string, int, bool, bool> CloseCases => new()
    {
        // name, how long the driver takes to close (ms), whether its close throws, whether check-config gives up on it
        { "driver closes at once", 0, false, false },
        { "driver hangs on close past shutdown_timeout", 600_000, false, true },
        { "driver's close throws", 0, true, false },
    };

    /// <summary>check-config closes the drivers it created, each within [plugin_host] shutdown_timeout.</summary>
    [Theory]
    [MemberData(nameof(CloseCases))]
    public async Task CheckConfig_DriverClose_BoundedByShutdownTimeout(string name, int closeDelayMs, bool closeThrows, bool abandoned)
    {
        using var temp = new TempFolder();
        var entities = temp.File("entities", "a\n");
        temp.DropPlugin(temp.Combine("plugins"), TestRepository.TestPluginOutput("PluginHost.TestPlugins.Echo"));
        var config = temp.File("vitrage.conf", $"""
            [datasources]
            types = echo
            plugin_path = {temp.Combine("plugins")}
            [plugin_host]
            shutdown_timeout = 1
            [echo]
            entities_file = {entities}
            close_delay_ms = {closeDelayMs}
            fail_on_close = {(closeThrows ? "true" : "false")}
            """);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = await HostProcess.RunAsync("check-config", "--config-file", config);

        result.ExitCode.ShouldBe(0, $"{name}\n{result.Stderr}");
        result.Stdout.ShouldContain("Enabled datasources: echo", Case.Sensitive, name);
        result.Stderr.Contains("Timeout ([plugin_host] shutdown_timeout) reached while closing datasource echo", StringComparison.Ordinal).ShouldBe(abandoned, name);
        result.Stderr.Contains("While stopping, closing datasource echo failed: echo: fail_on_close is set", StringComparison.Ordinal).ShouldBe(closeThrows, name);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60), name); // not the driver's ten minutes
    }

    /// <summary>
    /// A configuration error in one datasource stops the start after the drivers made so far are
    /// closed again: a driver that hangs on close is given up after shutdown_timeout, not waited for.
    /// </summary>
    [Fact]
    public async Task CheckConfig_ErrorAfterADriverThatHangsOnClose_ExitsTwoWithinShutdownTimeout()
    {
        using var temp = new TempFolder();
        var entities = temp.File("entities", "a\n");
        var plugins = temp.Combine("plugins");
        temp.DropPlugin(plugins, TestRepository.TestPluginOutput("PluginHost.TestPlugins.Echo"));
        var config = temp.File("vitrage.conf", $"""
            [datasources]
            types = echo, static
            plugin_path = {plugins}, {TestRepository.HostPluginFolder}
            [plugin_host]
            shutdown_timeout = 1
            [echo]
            entities_file = {entities}
            close_delay_ms = 600000
            [static]
            directory = /nonexistent/static
            """);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = await HostProcess.RunAsync("check-config", "--config-file", config);

        result.ExitCode.ShouldBe(2, result.Stderr);
        result.Stderr.ShouldContain("error: [static] static folder /nonexistent/static ([static] directory) does not exist");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60)); // not the echo driver's ten minutes
    }

    [Fact]
    public async Task Plugins_NoPluginFolder_ExitsTwoNamingWhereItLooked()
    {
        using var temp = new TempFolder();
        var config = temp.File("vitrage.conf", $"[datasources]\nplugin_path = {temp.Combine("nowhere")}\n");

        var result = await HostProcess.RunAsync("plugins", "--config-file", config);

        result.ExitCode.ShouldBe(2);
        result.Stdout.ShouldContain($"failed to load: {temp.Combine("nowhere")}: plugin folder not found");
        result.Stderr.ShouldContain($"error: no plugin was found in {temp.Combine("nowhere")}");
    }

    // An empty --config-dir keeps a developer's own ./vitrage.conf or /etc/vitrage out of the test.
    private static string EmptyConfigDir()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pluginhost-empty-config");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
