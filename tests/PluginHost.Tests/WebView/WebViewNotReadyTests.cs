using OpenQA.Selenium;
using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Api;

namespace PluginHost.Tests.WebView;

/// <summary>The web view in headless chromium on a host whose graph is not ready yet (its cluster answers 500), then is.</summary>
public sealed class WebViewNotReadyTests
{
    // Before the topology answered 503 the view drew an empty tree ("0 nodes": an empty cloud); with
    // the 503 alone it would show a red "Could not read the graph" and wait for a version that need
    // not come. It says "not ready yet" and why, and reads again until the graph is there.
    [Fact]
    public async Task Open_DatasourceNotSnapshottedYet_SaysNotReadyThenShowsTheGraphOnceItIs()
    {
        await using var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 3, api: "port = 0");
        cluster.Simulator.Faults.Add(new FaultRule(FaultKind.InternalError));
        await using var host = await ApiHostProcess.StartOnAsync(cluster, nodes: 3, waitForGraph: false);
        await host.WaitForLogAsync("init_snapshot failed");
        await using var browser = await HeadlessChromium.StartAsync();
        var driver = browser.Driver;

        driver.Navigate().GoToUrl(new Uri(host.BaseUrl, "ui/"));

        await WebViewPage.WaitUntilAsync(() => driver.FindElement(By.Id("message")).Displayed, "the view to say why it shows no graph");
        var message = driver.FindElement(By.Id("message"));
        message.Text.ShouldStartWith("Not ready yet: The graph is not ready: datasource kubernetes has not completed a snapshot yet");
        message.GetDomAttribute("class").ShouldBe("waiting", "a notice, not an error");
        driver.FindElement(By.Id("status")).GetDomAttribute("class").ShouldBe("waiting");
        driver.FindElements(By.CssSelector(".row.vertex")).ShouldBeEmpty();

        cluster.Simulator.Faults.Clear(); // the next snapshot (after the retry delay) completes
        var page = new WebViewPage(driver, host.BaseUrl);
        await WebViewPage.WaitUntilAsync(() => page.NodeRows().Count == 3, "the view to show the graph once it is ready", seconds: 45);
        driver.FindElement(By.Id("message")).Displayed.ShouldBeFalse();
        (driver.FindElement(By.Id("status")).GetDomAttribute("class") ?? string.Empty).ShouldContain("live");
    }

    // The details panel showed a 503 as a red "Could not load …: The graph is not ready" and kept it
    // after the graph was ready: the page reads nothing while it shows a graph and no new version
    // comes. A reload adds a cluster whose first snapshot is slow: the graph waits for it (503) while
    // the page shows the first cluster's. The panel says it as the page does and reads again itself.
    [Fact]
    public async Task Details_GraphNotReadyAfterAReload_SaysNotReadyYetThenShowsTheNodeOnceItIs()
    {
        await using var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 3, api: "port = 0", sections: "contexts = sim");
        await using var other = await KubeApiSimulator.KubeApiSimulator.StartAsync(
            new SimulatorOptions { NodeCount = 2, Provider = ProviderMode.OpenStack, ClusterName = "other-cluster", ContextName = "other", UserName = "other-admin" },
            TestContext.Current.CancellationToken);
        await KubeconfigWriter.WriteAsync([cluster.Simulator, other], cluster.Folder.Combine("kubeconfig"));
        await using var host = await ApiHostProcess.StartOnAsync(cluster, nodes: 3);
        await using var browser = await HeadlessChromium.StartAsync();
        var page = new WebViewPage(browser.Driver, host.BaseUrl);
        await page.OpenAsync();
        var node = page.NodeRows().First();
        browser.Driver.FindElement(By.Id("live")).Click(); // the page itself reads nothing more: only the panel can

        other.Faults.Add(new FaultRule(FaultKind.Latency) { Delay = TimeSpan.FromSeconds(15) });
        File.WriteAllText(cluster.ConfigFile, File.ReadAllText(cluster.ConfigFile).Replace("contexts = sim", "contexts = sim, other", StringComparison.Ordinal));
        await host.HangUpAsync();
        await WebViewPage.WaitUntilAsync(() => StatusCode(host, "v1/status") == 503, "the reload to add a cluster the graph waits for");
        page.Row(node).FindElement(By.CssSelector(".name")).Click();

        await WebViewPage.WaitUntilAsync(() => browser.Driver.FindElements(By.CssSelector("#details .waiting")).Count == 1, "the panel to say the graph is not ready");
        page.Text("#details .waiting").ShouldStartWith("Not ready yet: The graph is not ready: datasource kubernetes/other has not completed a snapshot yet");
        page.Text("#details .waiting").ShouldEndWith(". Trying again every few seconds.");
        browser.Driver.FindElements(By.CssSelector("#details .error")).ShouldBeEmpty("a notice, not an error");

        // Once the other cluster's snapshot is in the graph (15 s), by the panel's own retry.
        await WebViewPage.WaitUntilAsync(() => browser.Driver.FindElement(By.Id("details")).GetDomAttribute("data-vitrage-id") == node, "the panel to show the node", seconds: 45);
        browser.Driver.FindElements(By.CssSelector("#details .waiting")).ShouldBeEmpty();
    }

    private static int StatusCode(ApiHostProcess host, string path)
    {
        using var response = host.GetAsync(path).GetAwaiter().GetResult();
        return (int)response.StatusCode;
    }
}
