using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Api;
using PluginHost.Configuration;
using PluginHost.Operations;
using PluginHost.Scheduling;

namespace PluginHost.Tests.Api;

/// <summary>
/// Found by a hostile test (stop 39): one client that opened 1,000 idle connections (no request, so
/// no token needed) made Kestrel close every further one, health probes included.
/// </summary>
public sealed class ConnectionsPerClientTests
{
    [Fact]
    public async Task Connect_OneClientHoldsItsLimitOfIdleConnections_ItsNextIsClosedAndOtherClientsAreServed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 3);
        await using var scheduler = DatasourceScheduler.Create(HostConfigurationLoader.Load(ConfigFileSet.Load([cluster.ConfigFile], [])), NullLoggerFactory.Instance, TimeProvider.System);
        await using var api = await ApiServer.StartAsync(new ApiSettings { Port = 0 }, new HostHealth(scheduler, TimeProvider.System), NullLoggerFactory.Instance, TimeProvider.System, ct);
        var server = new IPEndPoint(IPAddress.Loopback, api.BaseUrl.Port);

        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < ConnectionsPerClient.Limit; i++)
            {
                idle.Add(await ConnectAsync(IPAddress.Loopback, server, ct));
            }

            // Kestrel hands accepted connections to the pool: let each be counted before the next one comes.
            await Task.Delay(TimeSpan.FromSeconds(1), ct);

            (await GetStatusLineAsync(IPAddress.Loopback, server, ct)).ShouldBeNull("the same address, over its limit: closed");
            (await GetStatusLineAsync(IPAddress.Parse("127.0.0.2"), server, ct)).ShouldBe("HTTP/1.1 200 OK", "another address is served");
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }

        // The slots come back when the idle connections close.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string? again;
        while ((again = await GetStatusLineAsync(IPAddress.Loopback, server, ct)) is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, ct);
        }

        again.ShouldBe("HTTP/1.1 200 OK");
    }

    private static async Task<Socket> ConnectAsync(IPAddress from, IPEndPoint server, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(from, 0));
        await socket.ConnectAsync(server, ct);
        return socket;
    }

    // The first line of the answer to GET /, or null when the connection is closed without one
    // (the server's reset may already reach the connect).
    private static async Task<string?> GetStatusLineAsync(IPAddress from, IPEndPoint server, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            using var socket = await ConnectAsync(from, server, timeout.Token);
            await socket.SendAsync("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[4096];
            var read = await socket.ReceiveAsync(buffer, timeout.Token);
            return read == 0 ? null : Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
        }
        catch (SocketException)
        {
            return null; // reset
        }
    }
}
