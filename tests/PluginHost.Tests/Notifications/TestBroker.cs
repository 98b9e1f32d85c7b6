using System.Diagnostics;
using RabbitMQ.Client;

namespace PluginHost.Tests.Notifications;

/// <summary>
/// The private RabbitMQ node the test script starts for the tests (PLUGINHOST_TEST_RABBITMQ and
/// PLUGINHOST_TEST_RABBITMQ_NODE); never a broker the user runs. Under CI a missing broker fails
/// the test; elsewhere the test is skipped, saying why.
/// </summary>
internal static class TestBroker
{
    public static string Url => Environment.GetEnvironmentVariable("PLUGINHOST_TEST_RABBITMQ") is { Length: > 0 } url
        ? url
        : "rabbit://guest:guest@127.0.0.1:5672/";

    /// <summary>The test node's name, for <c>rabbitmqctl -n</c>; <c>null</c> outside the test script.</summary>
    public static string? NodeName => Environment.GetEnvironmentVariable("PLUGINHOST_TEST_RABBITMQ_NODE") is { Length: > 0 } node ? node : null;

    public static int Port => new Uri(Url.Replace("rabbit://", "amqp://", StringComparison.Ordinal)).Port;

    /// <summary>
    /// A topic exchange and a queue bound to it by the queue's own name (<c>&lt;topic&gt;.info</c>), as an
    /// oslo.messaging notifier and the central host's consumer declare them.
    /// </summary>
    public static async Task DeclareTopicQueueAsync(IChannel channel, string exchange, string queue, bool durable = false)
    {
        var ct = TestContext.Current.CancellationToken;
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable, autoDelete: false, cancellationToken: ct);
        await channel.QueueDeclareAsync(queue, durable, exclusive: false, autoDelete: false, cancellationToken: ct);
        await channel.QueueBindAsync(queue, exchange, queue, cancellationToken: ct);
    }

    /// <summary>The properties of an oslo.messaging JSON notification.</summary>
    public static BasicProperties JsonMessage() => new() { ContentType = "application/json", ContentEncoding = "utf-8" };

    public static async Task<IConnection> ConnectAsync()
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = Port, UserName = "guest", Password = "guest" };
        try
        {
            return await factory.CreateConnectionAsync(TestContext.Current.CancellationToken);
        }
        catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException e)
        {
            var reason = $"RabbitMQ is not reachable on 127.0.0.1:{Port} ({e.Message}); run the tests with scripts/test.sh, which starts a private node";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException(reason, e);
            }

            Assert.Skip(reason);
            throw;
        }
    }

    /// <summary>
    /// <c>rabbitmqctl</c> on the test node only. Tests that stop or restart their broker skip
    /// (fail under CI) when the script did not start one: they never touch a broker the user runs.
    /// </summary>
    public static async Task CtlAsync(params string[] arguments)
    {
        var node = NodeName;
        if (node is null)
        {
            const string reason = "no private RabbitMQ node (PLUGINHOST_TEST_RABBITMQ_NODE): run the tests with scripts/test.sh; a broker the user runs is never restarted";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException(reason);
            }

            Assert.Skip(reason);
            return;
        }

        var start = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-n", node, "-q", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        process.ExitCode.ShouldBe(0, $"rabbitmqctl {string.Join(' ', arguments)}: {await stderr}");
    }
}
