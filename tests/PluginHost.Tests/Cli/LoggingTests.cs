using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Cli;

/// <summary>oslo.log's options from vitrage.conf, and the command line's --debug and --log-file.</summary>
public sealed partial class LoggingTests(EchoPluginFolder plugins) : IClassFixture<EchoPluginFolder>
{
    private string Config(TempFolder temp, string defaults, string entities = "a\nb\n")
    {
        var entitiesFile = temp.File("entities", entities);
        return temp.File("vitrage.conf", $"""
            [DEFAULT]
            {defaults}
            [api]
            port = 0
            [datasources]
            plugin_path = {plugins.Plugins}
            snapshots_interval = 10
            [echo]
            entities_file = {entitiesFile}
            """);
    }

    // oslo.log's default: date time.msecs pid LEVEL logger [-] message
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} \d+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) \S+ \[-\] ")]
    private static partial Regex OsloLine();

    [Theory]
    [InlineData("default", "", new string[0], "INFO")]
    [InlineData("[DEFAULT] debug", "debug = true", new string[0], "DEBUG")]
    [InlineData("--debug", "", new[] { "--debug" }, "DEBUG")]
    public async Task Snapshot_LogLines_CarryTheDateLikeAnOpenStackServiceAndHonourDebug(string name, string defaults, string[] extra, string lowestLevel)
    {
        using var temp = new TempFolder();
        var config = Config(temp, defaults);

        var result = await HostProcess.RunAsync(["snapshot", "--config-file", config, .. extra]);

        result.ExitCode.ShouldBe(0, result.Stderr);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldAllBe(l => OsloLine().IsMatch(l), name);
        lines.Any(l => l.Contains($" {lowestLevel} ", StringComparison.Ordinal)).ShouldBeTrue(name);
        if (lowestLevel == "INFO")
        {
            lines.ShouldNotContain(l => l.Contains(" DEBUG ", StringComparison.Ordinal), name);
        }
    }

    [Theory]
    [InlineData("log_file", "log_file = {temp}/logs/host.log", new string[0], "logs/host.log")]
    [InlineData("log_dir alone", "log_dir = {temp}/dir", new string[0], "dir/pluginhost.log")]
    [InlineData("log_dir and log_file", "log_dir = {temp}/dir\nlog_file = mine.log", new string[0], "dir/mine.log")]
    [InlineData("--log-file", "", new[] { "--log-file", "{temp}/cli.log" }, "cli.log")]
    public async Task Snapshot_LogFileOptions_WriteTheLogThereAndNothingToStderr(string name, string defaults, string[] extra, string expected)
    {
        using var temp = new TempFolder();
        var config = Config(temp, defaults.Replace("{temp}", temp.Path, StringComparison.Ordinal));

        var result = await HostProcess.RunAsync(["snapshot", "--config-file", config, .. extra.Select(e => e.Replace("{temp}", temp.Path, StringComparison.Ordinal))]);

        result.ExitCode.ShouldBe(0, name);
        result.Stderr.ShouldBeEmpty(name);
        File.ReadAllText(temp.Combine(expected)).ShouldContain("echo init_snapshot complete", Case.Sensitive, name);
    }

    [Fact]
    public async Task Snapshot_UseJson_WritesOneOsloJsonObjectPerRecord()
    {
        using var temp = new TempFolder();
        var config = Config(temp, "use_json = true");

        var result = await HostProcess.RunAsync("snapshot", "--config-file", config);

        var record = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .First(r => r.GetProperty("message").GetString()!.Contains("init_snapshot complete", StringComparison.Ordinal));
        record.GetProperty("levelname").GetString().ShouldBe("INFO");
        record.GetProperty("name").GetString().ShouldBe("PluginHost.Datasources.echo");
        record.GetProperty("process").GetInt32().ShouldBeGreaterThan(0);
        record.GetProperty("asctime").GetString()!.Length.ShouldBe("2026-11-27 10:00:00".Length);
    }

    [Fact]
    public async Task Snapshot_LogDateFormat_IsPythonsStrftime()
    {
        using var temp = new TempFolder();
        var config = Config(temp, "log_date_format = %d/%m/%Y %H:%M:%S");

        var result = await HostProcess.RunAsync("snapshot", "--config-file", config);

        result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ShouldAllBe(l => Regex.IsMatch(l, @"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}\.\d{3} "));
    }

    [Fact]
    public async Task Snapshot_UnsupportedLogDateFormat_ExitsTwoNamingTheDirective()
    {
        using var temp = new TempFolder();
        var config = Config(temp, "log_date_format = %Y-%j");

        var result = await HostProcess.RunAsync("snapshot", "--config-file", config);

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("[DEFAULT] log_date_format = '%Y-%j': %j is not supported");
    }

    [Fact]
    public async Task Snapshot_UseJournal_SendsRecordsWithTheirPriorityToTheJournalSocket()
    {
        using var temp = new TempFolder();
        var socketPath = temp.Combine("journal.socket");
        using var journal = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        journal.Bind(new UnixDomainSocketEndPoint(socketPath));
        var config = Config(temp, "use_journal = true");

        var run = HostProcess.RunAsync(new Dictionary<string, string?> { ["PLUGINHOST_JOURNAL_SOCKET"] = socketPath },
            "snapshot", "--config-file", config);
        var buffer = new byte[65536];
        var received = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!received.Any(r => r.Contains("init_snapshot complete", StringComparison.Ordinal)))
        {
            var length = await journal.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            received.Add(Encoding.UTF8.GetString(buffer, 0, length));
        }

        (await run).ExitCode.ShouldBe(0);
        var record = received.First(r => r.Contains("init_snapshot complete", StringComparison.Ordinal)).Split('\n');
        record.ShouldContain("PRIORITY=6");
        record.ShouldContain("SYSLOG_IDENTIFIER=pluginhost");
        record.ShouldContain("LOGGER_NAME=PluginHost.Datasources.echo");
    }

    [Fact]
    public async Task Run_SighupAfterLogrotateMovedTheFile_WritesToANewFile()
    {
        using var temp = new TempFolder();
        var log = temp.Combine("host.log");
        var config = Config(temp, $"log_file = {log}");
        await using var host = RunningHost.Start("run", "--config-file", config);
        await host.WaitUntilAsync(() => File.Exists(log) && File.ReadAllText(log).Contains("snapshot applied", StringComparison.Ordinal), "the first lines in the log file");

        File.Move(log, log + ".1"); // what logrotate does, then it sends SIGHUP
        host.Signal(RunningHost.SigHup);

        await host.WaitUntilAsync(() => File.Exists(log) && File.ReadAllText(log).Contains("Configuration reloaded", StringComparison.Ordinal), "the reload in a new log file");
        File.ReadAllText(log + ".1").ShouldNotContain("Configuration reloaded");
        host.Signal(RunningHost.SigTerm);
        await host.WaitForExitAsync();
        host.ExitCode.ShouldBe(0);
    }
    // Found by a hostile test (s46): log_file naming a named pipe whose reader was not there blocked
    // the first log record's open for ever, and every thread that logs with it: run never started,
    // and a SIGTERM did not stop it.
    [Fact]
    public async Task Run_LogFileIsANamedPipeWithoutAReader_LogsToStandardErrorThenToThePipeOnceRead()
    {
        using var temp = new TempFolder();
        var log = temp.Combine("host.log");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", log))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var config = Config(temp, $"log_file = {log}");
        await using var host = RunningHost.Start("run", "--config-file", config);
        await host.WaitForLogAsync($"cannot write the log file {log}: it did not open within 5 s (a named pipe without a reader?); logging to standard error");
        await host.WaitForLogAsync("snapshot applied");

        // A reader comes: the open that waited for it completes, and the next record goes down the pipe.
        await using var reader = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.Asynchronous);
        host.Signal(RunningHost.SigHup);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!received.ToString().Contains("Configuration reloaded", StringComparison.Ordinal))
        {
            var read = await reader.ReadAsync(buffer, deadline.Token);
            read.ShouldBeGreaterThan(0, "the pipe closed before the reload's record came");
            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        host.Signal(RunningHost.SigTerm);
        await host.WaitForExitAsync();
        host.ExitCode.ShouldBe(0, host.Stderr);
    }
}
