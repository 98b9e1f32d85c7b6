using PluginHost.Configuration;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Configuration;

/// <summary><c>[database]</c> and <c>[plugin_host] state_dir</c>: where the alarm history is kept.</summary>
public sealed class HistorySettingsTests(EchoPluginFolder plugins) : IClassFixture<EchoPluginFolder>
{
    private HostConfiguration Load(TempFolder temp, string text) =>
        HostConfigurationLoader.Load(ConfigFileSet.Load([temp.File("vitrage.conf", $"[datasources]\nplugin_path = {plugins.Plugins}\n{text}")], []));

    [Theory]
    [InlineData("oslo.db's absolute form", "[database]\nconnection = sqlite:////srv/ph/history.db\n", "/srv/ph/history.db", 30)]
    [InlineData("with options after the path", "[database]\nconnection = sqlite:////srv/ph/h.db?timeout=5\n", "/srv/ph/h.db", 30)]
    [InlineData("unset: in state_dir", "[plugin_host]\nstate_dir = /srv/state\n[database]\nhistory_retention_days = 7\n", "/srv/state/history.db", 7)]
    [InlineData("kept for ever", "[plugin_host]\nstate_dir = /srv/state\n[database]\nhistory_retention_days = 0\n", "/srv/state/history.db", 0)]
    public void Load_DatabaseOptions_HistoryFileAndRetention(string name, string text, string path, int days)
    {
        using var temp = new TempFolder();

        var history = Load(temp, text).Host.History.ShouldNotBeNull(name);

        history.DatabasePath.ShouldBe(path, name);
        history.Retention.ShouldBe(days == 0 ? null : TimeSpan.FromDays(days), name);
    }

    [Fact]
    public void Load_RelativeSqlitePath_RelativeToTheWorkingDirectory()
    {
        using var temp = new TempFolder();

        Load(temp, "[database]\nconnection = sqlite:///data/history.db\n").Host.History!.DatabasePath
            .ShouldBe(Path.Combine(Directory.GetCurrentDirectory(), "data", "history.db"));
    }

    [Theory]
    [InlineData("in-memory SQLite", "sqlite://")]
    [InlineData("in-memory SQLite, three slashes", "sqlite:///")]
    public void Load_InMemorySqlite_ErrorNamesWhatIsSupported(string name, string url)
    {
        using var temp = new TempFolder();

        var error = Should.Throw<ConfigException>(() => Load(temp, $"[database]\nconnection = {url}\n"));

        error.Errors.ShouldHaveSingleItem(name).ShouldBe(
            $"{temp.Combine("vitrage.conf")}:4: [database] connection: an in-memory SQLite database keeps no history across restarts; PluginHost keeps its alarm history in a SQLite file: sqlite:////absolute/path/history.db or sqlite:///relative/path.db (or leave it unset for history.db in [plugin_host] state_dir)",
            name);
    }

    // Every vitrage.conf names Vitrage's own database here: refused, an operator's file did not load
    // (a docs review, stop 44). It is not ours to write; the history goes where it goes unset.
    [Theory]
    [InlineData("MySQL, as Vitrage's own vitrage.conf has it", "mysql+pymysql://vitrage:s3cr3t@controller/vitrage", "mysql+pymysql")]
    [InlineData("PostgreSQL", "postgresql://vitrage:s3cr3t@db/vitrage", "postgresql")]
    [InlineData("no scheme", "vitrage:s3cr3t@db", "(none)")]
    public void Load_AnotherDatabasesUrl_WarnsAndKeepsTheHistoryInTheStateDirNeverShowingTheUrl(string name, string url, string scheme)
    {
        using var temp = new TempFolder();

        var configuration = Load(temp, $"[plugin_host]\nstate_dir = /srv/state\n[database]\nconnection = {url}\n");

        configuration.Host.History.ShouldNotBeNull(name).DatabasePath.ShouldBe("/srv/state/history.db", name);
        configuration.Diagnostics.Warnings.ShouldHaveSingleItem(name).ShouldBe(
            $"{temp.Combine("vitrage.conf")}:6: [database] connection: the scheme '{scheme}' is not one PluginHost writes (Vitrage's own database?): the alarm history goes to /srv/state/history.db; to choose its file: sqlite:////absolute/path/history.db or sqlite:///relative/path.db (or leave it unset for history.db in [plugin_host] state_dir)",
            name);
        configuration.Diagnostics.Warnings.Single().ShouldNotContain("s3cr3t");
    }

    [Fact]
    public async Task CheckConfig_VitragesOwnDatabase_WarnsAndPasses()
    {
        using var temp = new TempFolder();
        var config = temp.File("vitrage.conf", $"[datasources]\nplugin_path = {plugins.Plugins}\n[plugin_host]\nstate_dir = {temp.Combine("state")}\n[database]\nconnection = mysql+pymysql://u:pw@db/v?charset=utf8\n");

        var result = await HostProcess.RunAsync("check-config", "--config-file", config);

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stderr.ShouldContain($"[database] connection: the scheme 'mysql+pymysql' is not one PluginHost writes (Vitrage's own database?): the alarm history goes to {temp.Combine("state", "history.db")}");
        result.Stderr.ShouldNotContain("pw@");
    }

    [Fact]
    public async Task Snapshot_StateDirUnsetAndNoServiceFolder_HistoryInTheUsersStateHome()
    {
        if (Directory.Exists(HistorySettingsLoader.ServiceStateDir))
        {
            Assert.Skip($"{HistorySettingsLoader.ServiceStateDir} exists on this machine: the host uses it, as a service would");
        }

        using var temp = new TempFolder();
        var entities = temp.File("entities", "a\n");
        var config = temp.File("vitrage.conf", $"[datasources]\ntypes = echo\nplugin_path = {plugins.Plugins}\n[echo]\nentities_file = {entities}\n");

        var result = await HostProcess.RunAsync(new Dictionary<string, string?> { ["XDG_STATE_HOME"] = temp.Combine("state-home") },
            "snapshot", "--write-outputs", "--config-file", config);

        result.ExitCode.ShouldBe(0, result.Stderr);
        File.Exists(temp.Combine("state-home", "pluginhost", "history.db")).ShouldBeTrue(result.Stderr);
        Directory.Exists(HistorySettingsLoader.ServiceStateDir).ShouldBeFalse("the host never creates a folder under /var/lib itself");
    }
}
