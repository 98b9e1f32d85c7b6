using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using PluginHost.History;

namespace PluginHost.Tests.Api;

/// <summary>The alarm history's API under load, on the built host (<c>run</c>) and a history of 10,000 alarms.</summary>
public sealed class AlarmHistoryLoadTests
{
    // Found by a hostile test (s43): each history request read a whole page (10,000 rows) synchronously on
    // a thread-pool thread, however many came at once and whether or not their client was still there:
    // 240 requests of one client, gone at once, took the host to gigabytes, failed its health probe and
    // made a SIGTERM take twice shutdown_timeout.
    [Fact]
    public async Task HistoryRequests_HundredsAbandonedAtOnce_HostStaysHealthyAndStopsInTime()
    {
        await using var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 4, api: "port = 0");
        Seed(Path.Combine(cluster.StateDir, "history.db"), rows: 10_000);
        await using var host = await ApiHostProcess.StartOnAsync(cluster, nodes: 4);

        var request = Encoding.ASCII.GetBytes(
            "GET /v1/alarm/history/?all_tenants=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Roles: admin\r\nX-User-Id: admin\r\nX-Project-Id: admin\r\n\r\n");
        var clients = new List<TcpClient>();
        for (var i = 0; i < 240; i++)
        {
            var client = new TcpClient();
            clients.Add(client);
            await client.ConnectAsync(host.BaseUrl.Host, host.BaseUrl.Port, TestContext.Current.CancellationToken);
            await client.GetStream().WriteAsync(request, TestContext.Current.CancellationToken);
        }

        foreach (var client in clients)
        {
            client.Client.Shutdown(SocketShutdown.Send); // and the client goes away without reading (a FIN, as a script's close sends)
            client.Dispose();
        }

        using var probe = new HttpClient { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var healthz = Stopwatch.StartNew();
        using (var response = await probe.GetAsync("healthz", TestContext.Current.CancellationToken))
        {
            response.IsSuccessStatusCode.ShouldBeTrue(host.Stderr);
        }

        healthz.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        var stop = Stopwatch.StartNew();
        (await host.StopAsync()).ShouldBe(0);
        stop.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(11), $"shutdown_timeout is 10 s:\n{host.Stderr}"); // its default
    }

    // A history of alarms that ended yesterday (within the retention), each with a payload as large as a node alarm's.
    private static void Seed(string path, int rows)
    {
        using var connection = AlarmHistoryDatabase.OpenForWriting(path);
        using var command = connection.CreateCommand();
        command.CommandText = """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows)
            INSERT INTO alarms (vitrage_id, start_timestamp, end_timestamp, name, vitrage_type, vitrage_datasource_name, payload)
            SELECT 'seeded-' || i, strftime('%Y-%m-%dT%H:%M:%f000Z', 'now', '-2 days'), strftime('%Y-%m-%dT%H:%M:%f000Z', 'now', '-1 day'), 'NodeNotReady', 'kubernetes.node.condition', 'kubernetes',
                   '{"vitrage_id":"seeded-' || i || '","name":"NodeNotReady","message":"' || hex(randomblob(350)) || '"}'
            FROM n
            """;
        command.Parameters.AddWithValue("$rows", rows);
        command.ExecuteNonQuery();
    }
}
