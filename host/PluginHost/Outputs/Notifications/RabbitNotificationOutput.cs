using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PluginHost.Configuration;
using PluginHost.Contracts;
using PluginHost.Graph;
using RabbitMQ.Client;

namespace PluginHost.Outputs.Notifications;

/// <summary>
/// Publishes every datasource event, and a start and end marker around each snapshot, as
/// oslo.messaging notifications on RabbitMQ. Messages wait in a bounded buffer (a full buffer makes
/// the datasources wait) and leave it only when the broker confirmed them; a lost broker is
/// reconnected with backoff, and a message whose confirm was lost is sent again (at-least-once:
/// consumers deduplicate by <c>message_id</c>).
/// </summary>
internal sealed class RabbitNotificationOutput : IGraphOutput
{
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(30);

    private readonly NotificationSettings _settings;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<OutgoingNotification> _buffer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private IConnection? _connection;
    private IChannel? _channel;

    public RabbitNotificationOutput(NotificationSettings settings, ILogger logger, TimeProvider time)
    {
        _settings = settings;
        _logger = logger;
        _time = time;
        _buffer = Channel.CreateBounded<OutgoingNotification>(new BoundedChannelOptions(settings.Buffer)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _pump = Task.Run(() => PumpAsync(_stop.Token));
    }

    /// <summary>Messages confirmed by the broker so far.</summary>
    public long Confirmed => Interlocked.Read(ref _confirmed);

    private long _confirmed;

    public ValueTask OnEventAsync(DatasourceEvent datasourceEvent, CancellationToken cancellationToken) =>
        EnqueueAsync(OsloNotificationFormat.EventType(datasourceEvent), datasourceEvent.WriteTo, cancellationToken);

    public ValueTask OnSnapshotStartedAsync(string datasourceName, DateTimeOffset startedAt, CancellationToken cancellationToken) =>
        EnqueueAsync("plugin_host.snapshot.start", w => WriteMarker(w, datasourceName, startedAt), cancellationToken);

    public ValueTask OnSnapshotCompletedAsync(string datasourceName, DateTimeOffset startedAt, EntityGraph graph, CancellationToken cancellationToken) =>
        EnqueueAsync("plugin_host.snapshot.end", w => WriteMarker(w, datasourceName, startedAt), cancellationToken);

    private static void WriteMarker(Utf8JsonWriter writer, string datasourceName, DateTimeOffset startedAt)
    {
        writer.WriteStartObject();
        writer.WriteString(DatasourceEvent.Keys.DatasourceName, datasourceName);
        writer.WriteString(DatasourceEvent.Keys.SampleDate, DatasourceEvent.FormatSampleTime(startedAt));
        writer.WriteEndObject();
    }

    private ValueTask EnqueueAsync(string eventType, Action<Utf8JsonWriter> writePayload, CancellationToken cancellationToken)
    {
        var messageId = Guid.NewGuid();
        var body = OsloNotificationFormat.Body(_settings.PublisherId, eventType, writePayload, _time.GetUtcNow(), messageId, Guid.NewGuid());
        return _buffer.Writer.WriteAsync(new OutgoingNotification(messageId.ToString("D"), eventType, body), cancellationToken);
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        try
        {
            while (await _buffer.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    var channel = await ConnectAsync(cancellationToken).ConfigureAwait(false);
                    if (failures > 0)
                    {
                        _logger.LogInformation("Connected to RabbitMQ at {Url}; publishing the {Count} buffered notifications", _settings.Transport, _buffer.Reader.Count);
                        failures = 0;
                    }

                    while (_buffer.Reader.TryPeek(out var message))
                    {
                        await PublishAsync(channel, message, cancellationToken).ConfigureAwait(false);
                        _buffer.Reader.TryRead(out _);
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
                    var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures - 1), MaxReconnectDelay.TotalSeconds));
                    _logger.LogError("Cannot publish notifications to RabbitMQ at {Url}: {Reason}; {Count} waiting, retrying in {Delay} s",
                        _settings.Transport, Describe(e), _buffer.Reader.Count, delay.TotalSeconds);
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
        _connection = await factory.CreateConnectionAsync(endpoints, cancellationToken).ConfigureAwait(false);
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

    private IEnumerable<string> RoutingKeys => _settings.Topics.Select(t => $"{t}.{OsloNotificationFormat.Priority.ToLowerInvariant()}");

    private async Task PublishAsync(IChannel channel, OutgoingNotification message, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            ContentEncoding = "utf-8",
            DeliveryMode = DeliveryModes.Persistent,
        };
        foreach (var routingKey in RoutingKeys)
        {
            // With confirmation tracking, this completes when the broker confirmed the message.
            await channel.BasicPublishAsync(_settings.Exchange, routingKey, mandatory: false, properties, message.Body, cancellationToken)
                .ConfigureAwait(false);
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

    /// <summary>Stops taking messages, waits up to the flush timeout for the buffer to be confirmed, then closes.</summary>
    public async ValueTask DisposeAsync()
    {
        _buffer.Writer.TryComplete();
        var drained = await Task.WhenAny(_pump, Task.Delay(_settings.FlushTimeout, _time)).ConfigureAwait(false) == _pump;
        if (!drained)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _pump.ConfigureAwait(false);
            _logger.LogError("{Count} notifications were not confirmed by RabbitMQ at {Url} within {Timeout} s and are lost",
                _buffer.Reader.Count, _settings.Transport, _settings.FlushTimeout.TotalSeconds);
        }

        await DisconnectAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>Notifications still waiting for a confirm.</summary>
    public int Pending => _buffer.Reader.Count;
}
