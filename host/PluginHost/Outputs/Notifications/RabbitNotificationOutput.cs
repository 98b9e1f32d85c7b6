using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PluginHost.Configuration;
using PluginHost.Contracts;
using PluginHost.Graph;
using RabbitMQ.Client;

namespace PluginHost.Outputs.Notifications;

/// <summary>
/// Publishes every datasource event, and a start and end marker around each snapshot, as
/// oslo.messaging notifications on RabbitMQ. Messages wait in a bounded buffer and leave it only
/// when the broker confirmed them; a lost broker is reconnected with backoff, and a message whose
/// confirm was lost is sent again (at-least-once: consumers deduplicate by <c>message_id</c>).
/// Nothing here ever makes the graph wait: while the broker is away and the buffer is full, whole
/// snapshots are dropped, oldest first, and counted (see <see cref="NotificationBuffer"/>).
/// </summary>
internal sealed class RabbitNotificationOutput : IGraphOutput
{
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(30);

    /// <summary>A confirm that takes longer means the broker is not answering: reconnect.</summary>
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    private readonly NotificationSettings _settings;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly NotificationBuffer _buffer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private IConnection? _connection;
    private IChannel? _channel;
    private long _confirmed;
    private long _droppedReported;
    private string? _lastError;

    // Since when the broker is not taking notifications (from the start until the first connection).
    private DateTimeOffset? _awaySince;

    public RabbitNotificationOutput(NotificationSettings settings, ILogger logger, TimeProvider time)
    {
        _settings = settings;
        _logger = logger;
        _time = time;
        _buffer = new NotificationBuffer(settings.Buffer);
        _awaySince = time.GetUtcNow();
        _pump = Task.Run(() => PumpAsync(_stop.Token));
    }

    public string Name => "notifications";

    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>Messages confirmed by the broker so far.</summary>
    public long Confirmed => Interlocked.Read(ref _confirmed);

    /// <summary>Notifications waiting for a confirm.</summary>
    public int Pending => _buffer.Count;

    /// <summary>Snapshots (or single changes) dropped because the buffer was full, and their notifications.</summary>
    public (long Units, long Notifications) Dropped => (_buffer.DroppedUnits, _buffer.DroppedNotifications);

    public async ValueTask OnEventAsync(DatasourceEvent datasourceEvent, CancellationToken cancellationToken)
    {
        await WaitWhileFullAsync(cancellationToken).ConfigureAwait(false);
        _buffer.Add(datasourceEvent.DatasourceName, Create(OsloNotificationFormat.EventType(datasourceEvent), w => EventJson.Write(w, datasourceEvent)));
        WarnIfDropping();
    }

    public async ValueTask OnSnapshotStartedAsync(string datasourceName, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await WaitWhileFullAsync(cancellationToken).ConfigureAwait(false);
        _buffer.AddSnapshotStart(datasourceName, Create("plugin_host.snapshot.start", w => WriteMarker(w, datasourceName, startedAt)));
        WarnIfDropping();
    }

    public async ValueTask OnSnapshotEndedAsync(string datasourceName, DateTimeOffset startedAt, bool complete, CancellationToken cancellationToken)
    {
        if (complete)
        {
            await WaitWhileFullAsync(cancellationToken).ConfigureAwait(false);
            _buffer.AddSnapshotEnd(datasourceName, Create("plugin_host.snapshot.end", w => WriteMarker(w, datasourceName, startedAt)));
            WarnIfDropping();
        }
        else
        {
            _buffer.AbandonSnapshot(datasourceName); // no end marker: the consumer deletes nothing
        }
    }

    /// <summary>
    /// A full buffer holds the graph back only while the broker takes notifications or has been away
    /// for less than <c>notification_full_wait</c> (a restart loses nothing); after that, adding drops
    /// whole snapshots instead, and the graph goes on.
    /// </summary>
    private async ValueTask WaitWhileFullAsync(CancellationToken cancellationToken)
    {
        while (_buffer.IsFull)
        {
            var awaySince = AwaySince;
            var waited = awaySince is { } since ? _time.GetUtcNow() - since : TimeSpan.Zero;
            if (waited >= _settings.FullWait || _pump.IsCompleted)
            {
                return;
            }

            var slice = _settings.FullWait - waited;
            await _buffer.WaitForRoomAsync(slice < MaxWaitSlice ? slice : MaxWaitSlice, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static readonly TimeSpan MaxWaitSlice = TimeSpan.FromMilliseconds(250);

    private DateTimeOffset? AwaySince
    {
        get
        {
            lock (_buffer)
            {
                return _awaySince;
            }
        }

        set
        {
            lock (_buffer)
            {
                _awaySince = value;
            }
        }
    }

    public void OnGraphPublished(GraphVersion version)
    {
    }

    /// <summary>Vitrage's own alarm notifications; they join the open snapshot of the alarm's datasource, if any.</summary>
    public async ValueTask OnAlarmsChangedAsync(IReadOnlyList<GraphChange> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
        {
            await WaitWhileFullAsync(cancellationToken).ConfigureAwait(false);
            _buffer.Add(change.Alarm!.DatasourceName ?? string.Empty, Create(AlarmEventJson.EventType(change), w => AlarmEventJson.WritePayload(w, change)));
            WarnIfDropping();
        }
    }

    // One warning when dropping starts; the pump says how many when the broker is back.
    private void WarnIfDropping()
    {
        var dropped = _buffer.DroppedUnits;
        if (dropped > Interlocked.Read(ref _droppedReported) && Interlocked.Exchange(ref _droppedReported, dropped) == 0)
        {
            _logger.LogWarning(
                "The notification buffer ({Capacity}, [plugin_host] notification_buffer) is full while RabbitMQ at {Url} is away: whole snapshots are dropped, oldest first, and counted; the next complete snapshot sends the full state again",
                _settings.Buffer, _settings.Transport);
        }
    }

    private static void WriteMarker(Utf8JsonWriter writer, string datasourceName, DateTimeOffset startedAt)
    {
        writer.WriteStartObject();
        writer.WriteString(EventJson.DatasourceNameKey, datasourceName);
        writer.WriteString(EventJson.SampleDateKey, EventJson.FormatTime(startedAt));
        writer.WriteEndObject();
    }

    private OutgoingNotification Create(string eventType, Action<Utf8JsonWriter> writePayload)
    {
        var messageId = Guid.NewGuid();
        var body = OsloNotificationFormat.Body(_settings.PublisherId, eventType, writePayload, _time.GetUtcNow(), messageId, Guid.NewGuid());
        return new OutgoingNotification(messageId.ToString("D"), eventType, body);
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        try
        {
            while (await _buffer.PeekAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                try
                {
                    var channel = await ConnectAsync(cancellationToken).ConfigureAwait(false);
                    if (failures > 0)
                    {
                        var (units, notifications) = Dropped;
                        _logger.LogInformation(
                            "Connected to RabbitMQ at {Url}; publishing the {Count} buffered notifications ({Units} snapshots or changes with {Notifications} notifications were dropped while it was away)",
                            _settings.Transport, _buffer.Count, units, notifications);
                        failures = 0;
                        Volatile.Write(ref _lastError, null);
                    }

                    AwaySince = null;

                    while (await _buffer.PeekAsync(cancellationToken).ConfigureAwait(false) is { } message)
                    {
                        await PublishAsync(channel, message, cancellationToken).ConfigureAwait(false);
                        _buffer.Remove(message);
                        Interlocked.Increment(ref _confirmed);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
#pragma warning disable CA1031 // any broker failure is retried; the messages stay in the buffer
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failures++;
                    AwaySince ??= _time.GetUtcNow();
                    var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures - 1), MaxReconnectDelay.TotalSeconds));
                    var reason = Describe(e);
                    Volatile.Write(ref _lastError, reason);
                    _logger.LogError("Cannot publish notifications to RabbitMQ at {Url}: {Reason}; {Count} waiting, retrying in {Delay} s",
                        _settings.Transport, reason, _buffer.Count, delay.TotalSeconds);
                    await DisconnectAsync().ConfigureAwait(false);
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private async Task<IChannel> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true } open)
        {
            return open;
        }

        await DisconnectAsync().ConfigureAwait(false);
        var first = _settings.Transport.Hosts[0];
        var factory = new ConnectionFactory
        {
            UserName = first.UserName,
            Password = first.Password,
            VirtualHost = _settings.Transport.VirtualHost,
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
            ClientProvidedName = _settings.PublisherId,
        };
        var endpoints = _settings.Transport.Hosts.Select(h => new AmqpTcpEndpoint(h.Host, h.Port, Ssl(h.Host))).ToList();
        _connection = await HandshakeAsync(factory, endpoints, cancellationToken).ConfigureAwait(false);
        _channel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken).ConfigureAwait(false);

        // Declared exactly as oslo.messaging does, or the broker answers 406 to one of us.
        await _channel.ExchangeDeclareAsync(_settings.Exchange, ExchangeType.Topic, _settings.Durable, _settings.AutoDelete,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var routingKey in RoutingKeys)
        {
            await _channel.QueueDeclareAsync(routingKey, _settings.Durable, exclusive: false, _settings.AutoDelete,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            await _channel.QueueBindAsync(routingKey, _settings.Exchange, routingKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return _channel;
    }

    /// <summary>
    /// Connects to the first broker that completes the AMQP handshake within
    /// <see cref="HandshakeTimeout"/>, in the URL's order. Before: RabbitMQ.Client 7 bounds only the TCP
    /// connect, so a peer that accepted and never answered (a load balancer without a live backend, a
    /// broker still booting, a wrong port) held the pump for ever: no error, no retry, nothing published
    /// again until a restart, even once the broker was there.
    /// </summary>
    private static async Task<IConnection> HandshakeAsync(ConnectionFactory factory, List<AmqpTcpEndpoint> endpoints, CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var endpoint in endpoints)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(HandshakeTimeout);
            var connecting = factory.CreateConnectionAsync([endpoint], attempt.Token);
            try
            {
                // Not awaited past the cancellation: the client takes ~5 s more to close the socket.
                return await connecting.WaitAsync(attempt.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or RabbitMQ.Client.Exceptions.BrokerUnreachableException)
            {
                _ = connecting.ContinueWith(
                    static async t =>
                    {
                        if (t.IsCompletedSuccessfully)
                        {
                            await t.Result.DisposeAsync().ConfigureAwait(false);
                        }
                        else
                        {
                            _ = t.Exception; // observed
                        }
                    },
                    CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                cancellationToken.ThrowIfCancellationRequested();
                last = attempt.IsCancellationRequested
                    ? new TimeoutException($"{endpoint.HostName}:{endpoint.Port} did not complete the AMQP handshake within {HandshakeTimeout.TotalSeconds:0} s (is it a RabbitMQ port?)")
                    : e;
            }
        }

        throw last ?? new InvalidOperationException("transport_url names no broker");
    }

    // TCP connect, AMQP header, start, tune and open with one broker: milliseconds on a LAN, seconds over a WAN.
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(15);

    private IEnumerable<string> RoutingKeys => _settings.Topics.Select(t => $"{t}.{OsloNotificationFormat.Priority.ToLowerInvariant()}");

    private async Task PublishAsync(IChannel channel, OutgoingNotification message, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            ContentEncoding = "utf-8",
            DeliveryMode = DeliveryModes.Persistent,
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PublishTimeout);
        foreach (var routingKey in RoutingKeys)
        {
            // With confirmation tracking, this completes when the broker confirmed the message.
            try
            {
                await channel.BasicPublishAsync(_settings.Exchange, routingKey, mandatory: false, properties, message.Body, timeout.Token)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the broker did not confirm a notification within {PublishTimeout.TotalSeconds} s");
            }
        }
    }

    private SslOption Ssl(string host)
    {
        if (!_settings.Ssl)
        {
            return new SslOption { Enabled = false };
        }

        var option = new SslOption { Enabled = true, ServerName = host, Version = SslProtocols.None };
        if (_settings.SslCertFile is { } certFile)
        {
            var certificate = certFile.EndsWith(".p12", StringComparison.OrdinalIgnoreCase) || certFile.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase)
                ? X509CertificateLoader.LoadPkcs12FromFile(certFile, null)
                : X509Certificate2.CreateFromPemFile(certFile, _settings.SslKeyFile);
            option.Certs = new X509CertificateCollection { certificate };
        }

        if (_settings.SslCaFile is { } caFile)
        {
            // Trust exactly the CA oslo's ssl_ca_file names, like Python's ssl module does with cafile.
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caFile);
            option.CertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            };
        }

        return option;
    }

    private async Task DisconnectAsync()
    {
        try
        {
            if (_channel is not null)
            {
                await _channel.DisposeAsync().ConfigureAwait(false);
            }

            if (_connection is not null)
            {
                await _connection.DisposeAsync().ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // closing a broken connection may fail in any way; it is being dropped anyway
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        _channel = null;
        _connection = null;
    }

    // Broker errors can quote the URI they tried; never the password, which we never put in one.
    private static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (!messages.Contains(current.Message))
            {
                messages.Add(current.Message);
            }
        }

        return string.Join(": ", messages);
    }

    /// <summary>Waits until the buffer is confirmed or <paramref name="cancellationToken"/> ends the wait.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(_settings.FlushTimeout);
        try
        {
            while (_buffer.Count > 0 && !_pump.IsCompleted)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), _time, bounded.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested)
        {
            // reported by DisposeAsync
        }
    }

    /// <summary>Stops the sender (whatever the broker does) and says what was not confirmed.</summary>
    public async ValueTask DisposeAsync()
    {
        _buffer.Complete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        if (_buffer.Count > 0)
        {
            _logger.LogError("{Count} notifications were not confirmed by RabbitMQ at {Url} within {Timeout} s and are lost",
                _buffer.Count, _settings.Transport, _settings.FlushTimeout.TotalSeconds);
        }

        await DisconnectAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
