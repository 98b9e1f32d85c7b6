using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Notifications.Tests;

/// <summary>A transport_url whose port accepts TCP connections and never answers (no broker needed).</summary>
public sealed class SilentPeerTests
{
    // Found by a hostile test: RabbitMQ.Client bounds only the TCP connect, so the consumer waited for
    // ever on the AMQP handshake: no error, no retry, the datasource silently idle.
    [Fact]
    public async Task Central_PeerAcceptsAndNeverAnswers_FailsTheStreamWithinTheHandshakeTimeoutAndStopsPromptly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var peer = SilentPeer.Start();
        var port = peer.Port;

        using var temp = new TempFolder();
        await using var host = CentralHost.Create(temp, "silent", "silent", transportUrl: $"rabbit://guest:S3cr3tPw@127.0.0.1:{port}/");
        using var stop = new CancellationTokenSource();
        var running = host.RunAsync(stop.Token);
        var runner = host.Runners.Single(r => r.Name == "notifications");
        var clock = Stopwatch.StartNew();
        while (runner.Status.Current.LastChangesError is null && clock.Elapsed < TimeSpan.FromSeconds(40))
        {
            await Task.Delay(200, ct);
        }

        var error = runner.Status.Current.LastChangesError.ShouldNotBeNull("the stream never failed: it still waits on the handshake");
        error.ShouldContain($"127.0.0.1:{port} did not complete the AMQP handshake");
        error.ShouldNotContain("S3cr3tPw");
        var stopping = Stopwatch.StartNew();
        await stop.CancelAsync();
        await running;
        stopping.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(3));
    }

    // Found by the same hostile test: the host's notifications output (an edge publishing) hung on
    // the handshake just the same, and published nothing again until restarted.
    [Fact]
    public async Task Edge_OutputToAPeerThatNeverAnswers_ReportsTheHandshakeTimeoutAndRetries()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var peer = SilentPeer.Start();
        var port = peer.Port;

        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("static"));
        temp.File("static/rack.yaml", "definitions:\n  entities:\n    - {static_id: s1, type: switch, id: sw-1}\n");
        var config = temp.File("edge.conf", $"""
            [DEFAULT]
            transport_url = rabbit://guest:S3cr3tPw@127.0.0.1:{port}/
            [oslo_messaging_notifications]
            driver = messagingv2
            [datasources]
            types = static
            plugin_path = {TestRepository.HostPluginFolder}
            [static]
            directory = {temp.Combine("static")}
            """);
        await using var host = PluginHost.Scheduling.DatasourceScheduler.Create(
            PluginHost.Configuration.HostConfigurationLoader.Load(PluginHost.Configuration.ConfigFileSet.Load([config], [])),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var running = host.RunAsync(stop.Token);
        var output = host.Outputs.OfType<PluginHost.Outputs.Notifications.RabbitNotificationOutput>().Single();
        var clock = Stopwatch.StartNew();
        while (output.LastError is null && clock.Elapsed < TimeSpan.FromSeconds(40))
        {
            await Task.Delay(200, ct);
        }

        var error = output.LastError.ShouldNotBeNull("the output never failed: it still waits on the handshake");
        error.ShouldContain($"127.0.0.1:{port} did not complete the AMQP handshake");
        error.ShouldNotContain("S3cr3tPw");
        await stop.CancelAsync();
        await running;
    }

    // A port that accepts TCP connections, holds them and never sends a byte.
    private sealed class SilentPeer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly System.Collections.Concurrent.ConcurrentBag<Socket> _accepted = [];
        private readonly CancellationTokenSource _stop = new();
        private Task _accepting = Task.CompletedTask;

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public static SilentPeer Start()
        {
            var peer = new SilentPeer();
            peer._listener.Start();
            peer._accepting = Task.Run(peer.AcceptAsync, CancellationToken.None);
            return peer;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _accepting;
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }

            _listener.Dispose();
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    _accepted.Add(await _listener.AcceptSocketAsync(_stop.Token));
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
