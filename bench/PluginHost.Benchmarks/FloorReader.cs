using System.Text.Json;

namespace PluginHost.Benchmarks;

/// <summary>
/// The floor: one HttpClient GET of every page of /api/v1/nodes and a JsonDocument parse of the
/// bytes, nothing kept. Nothing that lists and parses the same nodes can be faster.
/// </summary>
internal sealed class FloorReader(Uri server, int pageSize) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = server };

    public async Task<int> ReadAllAsync()
    {
        var items = 0;
        string? next = null;
        do
        {
            var url = next is null ? $"api/v1/nodes?limit={pageSize}" : $"api/v1/nodes?limit={pageSize}&continue={Uri.EscapeDataString(next)}";
            var bytes = await _http.GetByteArrayAsync(url);
            using var page = JsonDocument.Parse(bytes);
            items += page.RootElement.GetProperty("items").GetArrayLength();
            next = page.RootElement.GetProperty("metadata").TryGetProperty("continue", out var c) ? c.GetString() : null;
        }
        while (next is not null);

        return items;
    }

    public void Dispose() => _http.Dispose();
}
