using RabbitMQ.Client;

namespace PluginHost.Tests.Notifications;

/// <summary>
/// The RabbitMQ the test script starts (PLUGINHOST_TEST_RABBITMQ, default guest on loopback).
/// Under CI a missing broker fails the test; elsewhere the test is skipped, saying why.
/// </summary>
internal static class TestBroker
{
    public static string Url => Environment.GetEnvironmentVariable("PLUGINHOST_TEST_RABBITMQ") is { Length: > 0 } url
        ? url
        : "rabbit://guest:guest@127.0.0.1:5672/";

    public static async Task<IConnection> ConnectAsync()
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = 5672, UserName = "guest", Password = "guest" };
        try
        {
            return await factory.CreateConnectionAsync(TestContext.Current.CancellationToken);
        }
        catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException e)
        {
            var reason = $"RabbitMQ is not reachable on 127.0.0.1:5672 ({e.Message}); run the tests with scripts/test.sh, which starts it";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException(reason, e);
            }

            Assert.Skip(reason);
            throw;
        }
    }
}
