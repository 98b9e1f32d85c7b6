using PluginHost.Graph;
using PluginHost.Outputs;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Outputs;

public sealed class GraphFileOutputTests
{
    [Fact]
    public async Task WriteAsync_SharedFolderWithPlantedSymlinks_NeverFollowsThemAndWritesMode0640()
    {
        using var temp = new TempFolder();
        var victim = temp.File("victim", "precious");
        var graphFile = temp.Combine("graph.json");

        // The names the old writer used (.<name>.<pid>.tmp), planted by another user of the folder.
        foreach (var pid in new[] { Environment.ProcessId, 1, 2, 3 })
        {
            File.CreateSymbolicLink(temp.Combine($".graph.json.{pid}.tmp"), victim);
        }

        await GraphFileOutput.WriteAsync(graphFile, GraphVersion.Empty, TestContext.Current.CancellationToken);

        File.ReadAllText(victim).ShouldBe("precious");
        File.ReadAllText(graphFile).ShouldContain("\"directed\": true");
        File.GetUnixFileMode(graphFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        new FileInfo(graphFile).LinkTarget.ShouldBeNull();
    }
}
