using OpenQA.Selenium;
using OpenQA.Selenium.Remote;

namespace PluginHost.Tests.WebView;

/// <summary>The web view as a person uses it: open it, type a search, click rows and links; every wait bounded.</summary>
internal sealed class WebViewPage(RemoteWebDriver driver, Uri hostUrl)
{
    /// <summary>The colours of style.css: Ready, NotReady, Unknown.</summary>
    public const string Green = "rgb(46, 125, 50)";
    public const string Red = "rgb(198, 40, 40)";
    public const string Amber = "rgb(249, 168, 37)";

    public RemoteWebDriver Driver => driver;

    /// <summary>Loads /ui/ (with a fragment such as <c>#q=…</c>) afresh and waits until it drew a graph version.</summary>
    public async Task OpenAsync(string fragment = "")
    {
        driver.Navigate().GoToUrl("about:blank"); // a new fragment alone would not reload the page
        driver.Navigate().GoToUrl(new Uri(hostUrl, "ui/" + fragment));
        await WaitUntilAsync(() => Script("return document.getElementById('status').dataset.version || ''") is string { Length: > 0 }, "the view to load the graph");
    }

    public async Task SearchAsync(string text)
    {
        var box = driver.FindElement(By.Id("search"));
        box.Clear();
        box.SendKeys(text);
        await WaitUntilAsync(() => driver.FindElement(By.Id("notice")).Text.Contains(text, StringComparison.Ordinal), $"the search for '{text}' to be drawn");
    }

    // Reads below run as one script each: a live refresh redraws the rows (every 10 s in these
    // tests), and an element found in one call may be gone by the next.

    /// <summary>The vitrage_ids of the node rows the tree shows.</summary>
    public List<string> NodeRows() => Attributes(".row.vertex[data-type='kubernetes.node']", "data-vitrage-id");

    /// <summary>An attribute of every element the selector finds, in page order.</summary>
    public List<string> Attributes(string selector, string attribute) =>
        [.. ((IEnumerable<object>)Script("return [...document.querySelectorAll(arguments[0])].map(e => e.getAttribute(arguments[1]) ?? '')", selector, attribute)!).Cast<string>()];

    /// <summary>The text of the first element the selector finds.</summary>
    public string Text(string selector) =>
        Script("return document.querySelector(arguments[0])?.textContent ?? null", selector) as string
        ?? throw new InvalidOperationException($"nothing matches {selector}");

    /// <summary>The node's state as its row says it (data-state).</summary>
    public string RowState(string vitrageId) => Attributes($".row.vertex[data-vitrage-id='{vitrageId}']", "data-state").Single();

    public IWebElement Row(string vitrageId) => driver.FindElement(By.CssSelector($".row.vertex[data-vitrage-id='{vitrageId}']"));

    /// <summary>The colour the row's state dot is painted in.</summary>
    public string DotColour(string vitrageId) =>
        Script("const r = document.querySelector(`.row.vertex[data-vitrage-id='${arguments[0]}'] .dot`); return r ? getComputedStyle(r).backgroundColor : null", vitrageId) as string
        ?? throw new InvalidOperationException($"no row for {vitrageId}");

    /// <summary>Clicks a node's name (again if a refresh replaced the row meanwhile) and waits until the details panel shows it.</summary>
    public async Task OpenDetailsAsync(string vitrageId)
    {
        await WaitUntilAsync(() =>
        {
            Row(vitrageId).FindElement(By.CssSelector(".name")).Click();
            return true;
        }, $"the row of {vitrageId} to click");
        await WaitForDetailsAsync(vitrageId);
    }

    public Task WaitForDetailsAsync(string vitrageId) =>
        WaitUntilAsync(() => driver.FindElement(By.Id("details")).GetDomAttribute("data-vitrage-id") == vitrageId, $"the details of {vitrageId}");

    /// <summary>The text of a details section, found by its title (e.g. "Conditions"), read in one step: a refresh may redraw the panel.</summary>
    public string Section(string title) =>
        Script(
            "const s = [...document.querySelectorAll('#details details.section')].find(d => d.querySelector('summary').textContent.startsWith(arguments[0] + ' ('));" +
            "return s ? s.innerText : null;", title) as string
        ?? throw new InvalidOperationException($"the details panel has no section {title}");

    /// <summary>Clicks the neighbour link with this text (again if a refresh replaced it meanwhile) and returns the vitrage_id it leads to.</summary>
    public async Task<string> ClickNeighbourAsync(string text)
    {
        string? target = null;
        await WaitUntilAsync(() =>
        {
            var link = driver.FindElements(By.CssSelector("#details .neighbours a")).Single(a => a.Text == text);
            target = link.GetDomAttribute("data-vitrage-id");
            link.Click();
            return true;
        }, $"a neighbour link '{text}' to click");
        return target ?? throw new InvalidOperationException($"the neighbour link '{text}' names no vitrage_id");
    }

    /// <summary>The text behind a JSON link (a blob: URL), read inside the page.</summary>
    public string LinkedJson(string linkId) =>
        (string?)driver.ExecuteAsyncScript(
            "const done = arguments[arguments.length - 1]; fetch(document.getElementById(arguments[0]).href).then(r => r.text()).then(done, e => done('failed: ' + e));",
            linkId) ?? string.Empty;

    public object? Script(string script, params object[] args) => driver.ExecuteScript(script, args);

    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 20)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (true)
        {
            try
            {
                if (condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is NoSuchElementException or StaleElementReferenceException or InvalidOperationException)
            {
                // not drawn yet, or redrawn meanwhile (virtual rows are replaced on every redraw)
            }

            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"waited {seconds} s for {what}");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }
}
