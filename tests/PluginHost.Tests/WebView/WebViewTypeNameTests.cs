using PluginHost.Tests.Api;

namespace PluginHost.Tests.WebView;

/// <summary>
/// Entity types named like members of a JavaScript object (a datasource's text, here the static
/// datasource's file) drawn in headless chromium by the real web view.
/// </summary>
public sealed class WebViewTypeNameTests(WebViewTypeNameTests.Fixture fixture) : IClassFixture<WebViewTypeNameTests.Fixture>
{
    // The view's table of short type names was an object literal, so a type
    // named constructor drew "function Object() { [native code] }" as its label, __proto__ "[object Object]".
    [Theory]
    [InlineData("constructor")]
    [InlineData("__proto__")]
    [InlineData("toString")]
    [InlineData("hasOwnProperty")]
    public async Task Open_TypeNamedLikeAnObjectMember_RowLabelIsTheTypeItself(string type)
    {
        var page = new WebViewPage(fixture.Browser.Driver, fixture.Host.BaseUrl);
        await page.OpenAsync();
        // The static snapshot may land after the nodes the host start waits for: the view refreshes live.
        await WebViewPage.WaitUntilAsync(() => page.Attributes($".row.vertex[data-type='{type}']", "data-type").Count == 1, $"the row of the {type} entity");

        page.Text($".row.vertex[data-type='{type}'] .type").ShouldBe(type);
        page.Text($".row.vertex[data-type='{type}'] .name").ShouldBe($"thing-{type}");
    }

    /// <summary>A host on two simulated nodes and a static file with an entity of each type above.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private SimulatedClusterConfig? _cluster;

        internal ApiHostProcess Host { get; private set; } = null!;

        internal HeadlessChromium Browser { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            _cluster = await SimulatedClusterConfig.CreateAsync(nodes: 2, api: "port = 0");
            var folder = _cluster.Folder.Combine("static");
            Directory.CreateDirectory(folder);
            string[] types = ["constructor", "__proto__", "toString", "hasOwnProperty"];
            File.WriteAllText(Path.Combine(folder, "types.yaml"), "metadata:\n  name: types\ndefinitions:\n  entities:\n"
                + string.Concat(types.Select((t, i) => $"    - {{static_id: s{i}, type: '{t}', id: 'id-{i}', name: 'thing-{t}', state: available}}\n")));
            File.WriteAllText(_cluster.ConfigFile, File.ReadAllText(_cluster.ConfigFile).Replace("types = kubernetes", "types = kubernetes, static", StringComparison.Ordinal)
                + $"\n[static]\ndirectory = {folder}\n");
            Host = await ApiHostProcess.StartOnAsync(_cluster, nodes: 2);
            Browser = await HeadlessChromium.StartAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (Browser is not null)
            {
                await Browser.DisposeAsync();
            }

            if (Host is not null)
            {
                await Host.DisposeAsync();
            }

            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }
        }
    }
}
