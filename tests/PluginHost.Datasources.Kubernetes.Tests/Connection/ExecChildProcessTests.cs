using System.Diagnostics;
using System.Globalization;
using PluginHost.Contracts;
using PluginHost.KubeApiSimulator;

namespace PluginHost.Datasources.Kubernetes.Tests.Connection;

/// <summary>
/// Exec credential plugins that start processes of their own, through the driver against the
/// simulator: the run ends when the command ends (not when every child let go of its output), and
/// nothing the run started is left running, whichever way it ended.
/// </summary>
public sealed class ExecChildProcessTests
{
    private const string Credential = """{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"simulator-token"}}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // name, script ({pids}: the file the script writes its background children's ids to), request_timeout, the error (null: the snapshot completes)
    public static TheoryData<string, string, int, string?> Runs => new()
    {
        { "a background child keeps stdout open: the credential is used", $"sleep 300 & echo $! > {{pids}}\necho '{Credential}'", 30, null },
        { "a background child keeps stdout open, the command fails: its exit code", "sleep 300 & echo $! > {pids}\necho 'cannot reach the vault' >&2\nexit 3", 30, "failed with exit code 3: cannot reach the vault" },
        { "a detached child that closed its output: stopped when the run ends", $"( sleep 300 >/dev/null 2>&1 & echo $! > {{pids}} )\necho '{Credential}'", 30, null },
        { "the command hangs, its child was handed to init: both stopped", "( sleep 300 & echo $! > {pids} )\nsleep 30", 1, "did not finish within 1 s ([kubernetes] request_timeout) and was stopped" },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task GetAll_ExecPluginStartsAChild_EndsWithTheCommandAndStopsTheChild(string name, string script, int requestTimeout, string? error)
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 2, Https = true, Auth = SimulatorAuth.Token });
        var pids = Path.Combine(cluster.Folder, "pids");
        cluster.WriteScript("credential", script.Replace("{pids}", pids, StringComparison.Ordinal));
        await using var driver = cluster.CreateDriver(
            KubeconfigText.For(cluster.Simulator, user: "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: ./credential\n  interactiveMode: Never"),
            requestTimeout: requestTimeout);
        var started = Stopwatch.StartNew();
        try
        {
            if (error is null)
            {
                (await SimulatedCluster.GetAllAsync(driver, Ct)).Count.ShouldBe(3, name);
                started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), name);
            }
            else
            {
                (await Should.ThrowAsync<DatasourceException>(() => SimulatedCluster.GetAllAsync(driver, Ct))).Message.ShouldContain(error, Case.Sensitive, name);
            }

            var children = ChildIds(pids);
            children.ShouldNotBeEmpty(name);
            children.Where(IsRunning).ShouldBeEmpty(name);
        }
        finally
        {
            foreach (var pid in ChildIds(pids).Where(IsRunning))
            {
                KillSleep(pid); // the test's own leftover when the plugin failed to stop it
            }
        }
    }

    private static int[] ChildIds(string file) =>
        File.Exists(file) ? [.. File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture))] : [];

    // A zombie (killed, not yet reaped by whoever inherited it) runs no more.
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void KillSleep(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.ProcessName == "sleep")
            {
                process.Kill();
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // ended meanwhile
        }
    }
}
