using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PluginHost.Contracts;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace PluginHost.Datasources.Notifications;

/// <summary>
/// Consumes the notification queues like an oslo.messaging listener (declares the exchange and the
/// queues with the same flags, so it may start before the edges). A message is acknowledged only
/// after its event was handed to the host; duplicates (a redelivery after a lost ack, or an edge
/// resending an unconfirmed message) are dropped by message_id.
/// </summary>
internal sealed class NotificationsDriver(DatasourceContext context, NotificationsConnection? connection, RelayedNames names) : IDatasourceDriver, IChangesDriver
{
    private const int RememberedIds = 200_000;

    // An edge's event is one entity (a node: a few KB); 1 MiB leaves room for any, and bounds the buffer.
    private const int MaxMessageBytes = 1 << 20;
    // Unacknowledged messages the broker sends ahead, per queue.
    private const ushort Prefetch = 500;

    // Before (stop 38's hostile test): 1,000 copies, up to ~1 GiB of bodies just under MaxMessageBytes.
    private const int BufferedDeliveries = 16;

    // TCP connect, AMQP header, start, tune and open with one broker: milliseconds on a LAN, seconds over a WAN.
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(15);
    // Hashes, not the ids: a message_id is the sender's text (oslo's is a 36-character uuid), and ids
    // of 400 KB kept verbatim were 800 KB each, 160 GB at the bound; a hash is 16 bytes whatever it is.
    private readonly HashSet<UInt128> _seen = [];
    private readonly Queue<UInt128> _seenOrder = new();
    private bool _loopWarned;

    // A relayed datasource name (<publisher>/…/<datasource>) longer than this is refused: an edge's is
    // "plugin_host.<host>/<datasource>", a few dozen characters; room for a chain of several FQDNs.
    internal const int MaxNameLength = 512;

    // Refused names remembered (as hashes) so that each is warned about once; beyond, one warning more.
    private const int RememberedRefusals = 10_000;

    // The relayed datasource names taken so far ([notifications] max_datasources of them at most: the
    // plugin's, counted across reloads, see RelayedNames), and the ones this driver refused (each
    // told once per driver: a reload tells again what is still dropped). Before: any publisher could
    // make any number of names, each with its graph state, snapshot accounting and a Prometheus
    // series per action, kept for the host's life.
    private readonly HashSet<UInt128> _refusedNames = [];
    private readonly int _maxNames = context.Settings.Get(NotificationsOptions.MaxDatasources);

    // Notifications skipped as unreadable so far, and that count when each relayed snapshot last ended.
    private long _unreadable;
    private readonly Dictionary<string, long> _unreadableAtEnd = new(StringComparer.Ordinal);

    /// <summary>Nothing of its own to list: relayed snapshots are completed by their end markers.</summary>
    public async IAsyncEnumerable<DatasourceEvent> GetAllAsync(DatasourceAction action, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield break;
    }

    public async IAsyncEnumerable<DatasourceEvent> GetChangesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (connection is null)
        {
            context.Logger.LogInformation("[notifications] transport_url is empty: the notifications datasource stays idle");
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            yield break;
        }

        var amqp = await ConnectAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var _ = amqp.ConfigureAwait(false);
        await using var channel = await amqp.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.ExchangeDeclareAsync(connection.Exchange, ExchangeType.Topic, connection.Durable, connection.AutoDelete, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        // Deliveries the reader has not taken yet wait in the RabbitMQ client (at most the prefetch);
        // the copies here are the plugin's own memory, so a few are enough to keep the reader busy.
        var deliveries = Channel.CreateBounded<(ulong Tag, byte[]? Body, int Length)>(new BoundedChannelOptions(BufferedDeliveries) { SingleReader = true });
        foreach (var (queue, routingKey) in connection.Bindings)
        {
            await channel.QueueDeclareAsync(queue, connection.Durable, exclusive: false, connection.AutoDelete, cancellationToken: cancellationToken).ConfigureAwait(false);
            await channel.QueueBindAsync(queue, connection.Exchange, routingKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await channel.BasicQosAsync(0, Prefetch, false, cancellationToken).ConfigureAwait(false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        // The body is only valid inside the handler: copy it, unless it is larger than any event an
        // edge sends (then only its length goes on, to be logged and acknowledged): the buffer holds
        // at most BufferedDeliveries bodies of MaxMessageBytes (16 MiB).
        consumer.ReceivedAsync += (_, delivery) => deliveries.Writer.WriteAsync(
            (delivery.DeliveryTag, delivery.Body.Length > MaxMessageBytes ? null : delivery.Body.ToArray(), delivery.Body.Length), cancellationToken).AsTask();
        consumer.ShutdownAsync += (_, reason) =>
        {
            deliveries.Writer.TryComplete(new DatasourceException($"the notification channel from {connection.SafeUrl} closed: {reason.ReplyText}"));
            return Task.CompletedTask;
        };

        // The broker cancels a consumer whose queue was deleted (or on a failover): the stream fails,
        // and the host opens it again after its backoff, which declares the queues again.
        consumer.UnregisteredAsync += (_, _) =>
        {
            deliveries.Writer.TryComplete(new DatasourceException($"the broker {connection.SafeUrl} cancelled the notification consumer (a queue was deleted?)"));
            return Task.CompletedTask;
        };
        foreach (var queue in connection.Bindings.Select(b => b.Queue).Distinct())
        {
            await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);
        }

        context.Logger.LogInformation("Consuming notifications from {Url}, exchange {Exchange}", connection.SafeUrl, connection.Exchange);
        await foreach (var delivery in deliveries.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (delivery.Body is null)
            {
                _unreadable++;
                context.Logger.LogWarning("Skipping a notification of {Length} bytes: larger than {Max} bytes, no event an edge sends is", delivery.Length, MaxMessageBytes);
            }

            var relayed = delivery.Body is null ? null : Parse(delivery.Body);
            if (relayed is { } item && Accept(item.Event.DatasourceName) && Remember(item.MessageId))
            {
                if (item.Event.IsEndOfSnapshot && !ReadWholly(item.Event.DatasourceName))
                {
                    context.Logger.LogWarning(
                        "The relayed snapshot of {Datasource} ended after notifications that could not be read (logged above): it deletes nothing; the next one read whole does",
                        item.Event.DatasourceName);
                }
                else
                {
                    yield return item.Event;
                }
            }

            await channel.BasicAckAsync(delivery.Tag, multiple: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Opens the connection, trying every broker of the URL in order, each within
    /// <see cref="HandshakeTimeout"/>. Before: RabbitMQ.Client 7 bounds only the TCP connect, so a peer
    /// that accepts the connection and never answers the AMQP header (a load balancer without a live
    /// backend, a broker still booting, a wrong port) held the stream for ever: no error logged, no
    /// retry, and a later broker of the list never tried.
    /// </summary>
    private static async Task<IConnection> ConnectAsync(NotificationsConnection connection, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        foreach (var endpoint in connection.Endpoints)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(HandshakeTimeout);
            var connecting = connection.Factory.CreateConnectionAsync([endpoint], attempt.Token);
            try
            {
                // Not awaited past the cancellation: the client takes ~5 s more to close a socket whose
                // handshake it abandoned, which would eat half of a stop's shutdown_timeout.
                return await connecting.WaitAsync(attempt.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or RabbitMQ.Client.Exceptions.BrokerUnreachableException
                && !cancellationToken.IsCancellationRequested)
            {
                Abandon(connecting);
                errors.Add(attempt.IsCancellationRequested
                    ? $"{endpoint.HostName}:{endpoint.Port} did not complete the AMQP handshake within {HandshakeTimeout.TotalSeconds:0} s (is it a RabbitMQ port?)"
                    : e.InnerException?.Message ?? e.Message);
            }
            catch (Exception e) when (e is OperationCanceledException or RabbitMQ.Client.Exceptions.BrokerUnreachableException)
            {
                Abandon(connecting);
                throw new OperationCanceledException(cancellationToken); // a stop, not a broker failure
            }
        }

        throw new DatasourceException($"cannot consume notifications from {connection.SafeUrl}: {string.Join("; ", errors)}");
    }

    // A connection attempt left behind ends on its own; one that opened after all is closed.
    private static void Abandon(Task<IConnection> connecting) => _ = connecting.ContinueWith(
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

    private (DatasourceEvent Event, string MessageId)? Parse(byte[] body)
    {
        try
        {
            var relayed = RelayedNotification.Parse(body, out var looped);
            if (looped is not null && !_loopWarned)
            {
                _loopWarned = true;
                context.Logger.LogWarning(
                    "Dropping notifications that came back to {Publisher}, which had already relayed them (does that host publish to the exchange and topic it consumes?); told once",
                    looped);
            }

            return relayed;
        }
#pragma warning disable CA1031 // a message is untrusted input: any failure to read it skips it (acknowledged), never the queue behind it
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            // Before: only a JsonException was caught, so '[1,2]' or a lone surrogate failed the stream,
            // the message was redelivered for ever and every later one stuck behind it.
            _unreadable++;
            context.Logger.LogWarning("Skipping a notification that is not an oslo.messaging envelope of an event ({Message})", e.Message);
            return null;
        }
    }

    /// <summary>
    /// Whether no notification was unreadable since the previous end of <paramref name="datasource"/>'s
    /// relayed snapshots (since the stream began, for its first). Before: a skipped message (too large,
    /// not JSON) was one of the snapshot's entities, and the end marker then deleted that entity
    /// centrally although the edge still reported it. An unreadable message names no datasource, so
    /// every relayed snapshot it may belong to deletes nothing this time.
    /// </summary>
    private bool ReadWholly(string datasource)
    {
        var before = _unreadableAtEnd.GetValueOrDefault(datasource);
        _unreadableAtEnd[datasource] = _unreadable;
        return _unreadable == before;
    }

    /// <summary>
    /// Whether a notification of the relayed datasource <paramref name="name"/> is taken: a name seen
    /// before (by this driver or one a reload replaced), or a new one while fewer than max_datasources
    /// were taken and not longer than
    /// <see cref="MaxNameLength"/>. A refused name is warned about once (its notifications are
    /// acknowledged and dropped, its snapshot ends too, so they delete nothing).
    /// </summary>
    private bool Accept(string name)
    {
        var tooLong = name.Length > MaxNameLength;
        if (!tooLong && names.TryTake(name, _maxNames))
        {
            return true;
        }

        if (_refusedNames.Count < RememberedRefusals && _refusedNames.Add(Digest(name)))
        {
            var shown = name.Length > 100 ? name[..100] + "…" : name;
            if (tooLong)
            {
                context.Logger.LogWarning("Dropping the notifications of relayed datasource {Name} ({Length} characters): longer than {Max}; told once",
                    shown, name.Length, MaxNameLength);
            }
            else
            {
                context.Logger.LogWarning(
                    "Dropping the notifications of relayed datasource {Name}: {Count} relayed datasources are taken already ([notifications] max_datasources); told once per name",
                    shown, _maxNames);
            }

            if (_refusedNames.Count == RememberedRefusals)
            {
                context.Logger.LogWarning("{Count} relayed datasource names were refused; further ones are dropped without a warning each", RememberedRefusals);
            }
        }

        return false;
    }

    private bool Remember(string messageId)
    {
        var digest = Digest(messageId);
        if (!_seen.Add(digest))
        {
            return false;
        }

        _seenOrder.Enqueue(digest);
        if (_seenOrder.Count > RememberedIds)
        {
            _seen.Remove(_seenOrder.Dequeue());
        }

        return true;
    }

    // The first 128 bits of its SHA-256: two distinct ids collide with odds of 2^-128 per pair.
    private static UInt128 Digest(string messageId)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(messageId), hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
