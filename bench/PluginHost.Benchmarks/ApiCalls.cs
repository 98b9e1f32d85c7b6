using System.Net.Http.Json;
using System.Text.Json;

namespace PluginHost.Benchmarks;

/// <summary>The few REST API calls the runners make against a host process.</summary>
internal static class ApiCalls
{
    public static HttpRequestMessage Post(string path, object body) => new(HttpMethod.Post, path) { Content = JsonContent.Create(body) };

    public static async Task<JsonElement> ReadJsonAsync(HttpClient http, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            return document.RootElement.Clone();
        }
    }

    public static async Task WaitForNodesAsync(HttpClient http, int nodes)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            var counts = await ReadJsonAsync(http, Post("v1/resources/count/", new { all_tenants = true }));
            if (counts.TryGetProperty("kubernetes.node", out var count) && count.GetInt32() == nodes)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the host never showed every node");
    }
}
