using System.Text.Json;
using PluginHost.Tests.Api;

namespace PluginHost.Tests.WebView;

/// <summary>
/// One real host (<c>run</c>, 20 simulated OpenStack nodes, a snapshot every 10 s so that a
/// change shows up live) and one headless chromium, shared by the web view's tests.
/// </summary>
public sealed class WebViewFixture : IAsyncLifetime
{
    public const int Nodes = 20;

    internal ApiHostProcess Host { get; private set; } = null!;

    internal HeadlessChromium Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Host = await ApiHostProcess.StartAsync(Nodes, sections: "snapshots_interval = 10");
        Browser = await HeadlessChromium.StartAsync();
    }

    /// <summary>The Kubernetes nodes as <c>resource list</c> shows them, in name order.</summary>
    internal async Task<List<JsonElement>> NodesAsync()
    {
        using var response = await Host.PostAsync("v1/resources/", new { resource_type = "kubernetes.node", all_tenants = true });
        response.EnsureSuccessStatusCode();
        using var nodes = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. nodes.RootElement.EnumerateArray().Select(n => n.Clone()).OrderBy(n => n.GetProperty("name").GetString(), StringComparer.Ordinal)];
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
    }
}
