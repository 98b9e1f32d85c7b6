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
}
