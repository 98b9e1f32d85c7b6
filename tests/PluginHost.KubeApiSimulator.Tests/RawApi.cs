using System.Text.Json;

namespace PluginHost.KubeApiSimulator.Tests;

/// <summary>Plain HttpClient calls, to see exactly what the simulator sends.</summary>
internal static class RawApi
{
    public static HttpClient Client(KubeApiSimulator simulator) => new() { BaseAddress = simulator.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<JsonDocument> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public static IEnumerable<string> Names(JsonDocument list) =>
        list.RootElement.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("metadata").GetProperty("name").GetString()!);
}
