using OpenQA.Selenium;
using PluginHost.Tests.Api;

namespace PluginHost.Tests.WebView;

/// <summary>The web view on a host with <c>auth_mode = keystone</c> (a fake Keystone): it asks for a token.</summary>
public sealed class WebViewKeystoneTests(KeystoneHostFixture fixture) : IClassFixture<KeystoneHostFixture>
{
    [Fact]
    public async Task Open_KeystoneHost_AsksForATokenThenShowsTheGraph()
    {
        await using var browser = await HeadlessChromium.StartAsync();
        var driver = browser.Driver;
        driver.Navigate().GoToUrl(new Uri(fixture.Host.BaseUrl, "ui/"));
        await WebViewPage.WaitUntilAsync(() => driver.FindElement(By.Id("auth")).Displayed, "the view to ask for a token");
        driver.FindElement(By.Id("auth-reason")).Text.ShouldContain("X-Auth-Token");

        driver.FindElement(By.Id("token")).SendKeys(fixture.AdminToken);
        driver.FindElement(By.CssSelector("#auth button")).Click();

        await WebViewPage.WaitUntilAsync(() => driver.FindElement(By.Id("node-count")).Text == $"{ApiHostFixture.Nodes} nodes", "the graph after the token");
        driver.FindElement(By.Id("auth")).Displayed.ShouldBeFalse();
        new WebViewPage(driver, fixture.Host.BaseUrl).NodeRows().Count.ShouldBe(ApiHostFixture.Nodes);
    }
}
