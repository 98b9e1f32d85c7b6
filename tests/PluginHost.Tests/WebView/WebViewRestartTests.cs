using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using PluginHost.Tests.Api;

namespace PluginHost.Tests.WebView;

/// <summary>The web view open in headless chromium while the host behind it stops and starts again on the same port.</summary>
public sealed class WebViewRestartTests
{
    // Graph version numbers start again with every start, and the page
    // polled for a number newer than its own; a restarted host at the same (or a lower) number held
    // the poll for its whole 25 s, or until its own numbers passed the page's, while the page showed
    // the stopped host's graph. The page now sends the instance its graph came from, and another
    // instance answers at once.
    [Fact]
    public async Task LiveRefresh_HostRestartedWithLowerVersion_ShowsTheNewGraphWithoutWaitingForItsNumber()
    {
        await using var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 3, api: $"port = {FreePort()}", sections: "update_method = push");
        var nodes = cluster.Simulator.Nodes;
        await using var browser = await HeadlessChromium.StartAsync();
        string oldInstance;
        await using (var first = await ApiHostProcess.StartOnAsync(cluster, nodes: 3))
        {
            // The first process publishes versions beyond those the second starts with.
            for (var i = 0; i < 3; i++)
            {
                foreach (var ready in new[] { "False", "True" })
                {
                    var (before, _) = await VersionAsync(first);
                    nodes.SetReady(nodes.Names[0], ready);
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                    while ((await VersionAsync(first)).Version == before)
                    {
                        timeout.IsCancellationRequested.ShouldBeFalse($"the host never published the flip to {ready}:\n{first.Stderr}");
                        await Task.Delay(100, TestContext.Current.CancellationToken);
                    }
                }
            }

            var page = new WebViewPage(browser.Driver, first.BaseUrl);
            await page.OpenAsync();
            oldInstance = (await VersionAsync(first)).Instance;
            (await first.StopAsync()).ShouldBe(0);
        }

        var shown = long.Parse((string)browser.Driver.ExecuteScript("return document.getElementById('status').dataset.version")!, System.Globalization.CultureInfo.InvariantCulture);
        nodes.SetReady(nodes.Names[1], "False"); // while no host runs: only the second one's graph has it
        await using var second = await ApiHostProcess.StartOnAsync(cluster, nodes: 3);
        var (started, instance) = await VersionAsync(second);
        started.ShouldBeLessThanOrEqualTo(shown, "the restarted host must start below the page's version for this test to mean anything");
        instance.ShouldNotBe(oldInstance);
        var node = await NodeIdAsync(second, nodes.Names[1]);

        // Under the poll's 25 s: the page must not wait for the new host's numbers.
        var view = new WebViewPage(browser.Driver, second.BaseUrl);
        await WebViewPage.WaitUntilAsync(() => view.RowState(node) == "NotReady", "the view to show the restarted host's graph", seconds: 22);
        view.Attributes("#status", "data-instance").Single().ShouldBe(instance);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(long Version, string Instance)> VersionAsync(ApiHostProcess host)
    {
        using var response = await host.GetAsync("v1/topology/version/");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("version").GetInt64(), body.RootElement.GetProperty("instance").GetString()!);
    }

    private static async Task<string> NodeIdAsync(ApiHostProcess host, string name)
    {
        using var response = await host.PostAsync("v1/resources/", new { resource_type = "kubernetes.node", all_tenants = true });
        using var nodes = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return nodes.RootElement.EnumerateArray().Single(n => n.GetProperty("name").GetString() == name).GetProperty("vitrage_id").GetString()!;
    }
}
