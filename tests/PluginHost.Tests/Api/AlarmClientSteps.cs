using System.Text.Json;

namespace PluginHost.Tests.Api;

/// <summary>The steps the alarm client tests share: a host on a cluster with alarms, and waits for its alarms and history.</summary>
internal static class AlarmClientSteps
{
    // Twelve nodes, four of them with an alarm (five with the PID pressure), and a host on them.
    internal static async Task<ApiHostProcess> StartWithAlarmsAsync(bool pidPressure = false)
    {
        var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 12, api: "port = 0");
        var nodes = cluster.Simulator.Nodes;
        nodes.SetReady(nodes.Names[0], "False");
        nodes.SetCondition(nodes.Names[1], "MemoryPressure", "True");
        nodes.SetCondition(nodes.Names[2], "DiskPressure", "True");
        nodes.SetUnschedulable(nodes.Names[3], true);
        if (pidPressure)
        {
            nodes.SetCondition(nodes.Names[4], "PIDPressure", "True");
        }

        try
        {
            return await ApiHostProcess.StartOnAsync(cluster, nodes: 12, ownsCluster: true);
        }
        catch
        {
            await cluster.DisposeAsync(); // the host that would have owned it never started
            throw;
        }
    }

    internal static List<string> Names(JsonElement alarms) => [.. alarms.EnumerateArray().Select(a => Text(a, "Name")!)];

    internal static List<string> Ids(JsonElement alarms) => [.. alarms.EnumerateArray().Select(a => Text(a, "ID")!)];

    internal static async Task<List<string>> NamesAsync(ApiHostProcess host, string query)
    {
        using var response = await host.GetAsync("v1/alarm/?vitrage_id=all&all_tenants=True&" + query);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, query);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.EnumerateArray().Select(a => a.GetProperty("name").GetString()!)];
    }

    // A first host sees node go NotReady, writes its alarm's history row and stops, the alarm still open.
    internal static async Task RecordOneAlarmAndStopAsync(SimulatedClusterConfig cluster, string node)
    {
        await using var first = await ApiHostProcess.StartOnAsync(cluster, nodes: 4);
        cluster.Simulator.Nodes.SetReady(node, "False");
        await WaitForAlarmsAsync(first, 1);
        await WaitForHistoryAsync(first.BaseUrl, rows: 1);
        (await first.StopAsync()).ShouldBe(0);
    }

    internal static async Task WaitForAlarmsAsync(ApiHostProcess host, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        while (true)
        {
            using var response = await host.GetAsync("v1/alarm/?all_tenants=true");
            if (response.IsSuccessStatusCode) // 503 until the first snapshot is in the published graph
            {
                using var alarms = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                if (alarms.RootElement.GetArrayLength() == count)
                {
                    return;
                }
            }

            timeout.IsCancellationRequested.ShouldBeFalse($"the host never showed {count} alarms:\n{host.Stderr}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    // The history is written off the graph's path: it may trail the graph by a moment.
    internal static async Task<JsonElement> WaitForHistoryAsync(Uri endpoint, int rows)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var history = await VitrageClient.RunJsonAsync(endpoint, "alarm", "history", "--all-tenants");
            if (history.GetArrayLength() >= rows || timeout.IsCancellationRequested)
            {
                history.GetArrayLength().ShouldBe(rows, history.GetRawText());
                return history;
            }

            await Task.Delay(300, TestContext.Current.CancellationToken);
        }
    }

    internal static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
