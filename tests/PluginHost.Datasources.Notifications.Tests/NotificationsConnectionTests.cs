using PluginHost.Contracts;

namespace PluginHost.Datasources.Notifications.Tests;

/// <summary><c>transport_url</c> as oslo.messaging writes it, one broker or several.</summary>
public sealed class NotificationsConnectionTests
{
    public static TheoryData<string, string, string, string[]> Urls => new()
    {
        { "one broker", "rabbit://phuser:S3cr%2Ct@h1:5673/myvhost", "myvhost", ["h1:5673"] },
        { "one broker, default vhost and port", "rabbit://phuser:pw@h1/", "/", ["h1:5672"] },
        // Found by a hostile test (stop 38): only the first part was read, so the vhost (after the last) was lost.
        { "two brokers and a vhost", "rabbit://phuser:S3cr%2Ct@h1:5672,phuser:S3cr%2Ct@h2:5673/myvhost", "myvhost", ["h1:5672", "h2:5673"] },
        { "three brokers, no vhost", "rabbit://u:p@h1:5672,u:p@h2:5672,u:p@h3:5672", "/", ["h1:5672", "h2:5672", "h3:5672"] },
        // Uri keeps an IPv6 host's brackets; the client reads "[::1]" as the address (a broker test connects so).
        { "IPv6 broker beside a name", "rabbit://phuser:pw@h1:5672,phuser:pw@[fd00::2]:5673/myvhost", "myvhost", ["h1:5672", "[fd00::2]:5673"] },
        // vitrage.conf's continuation lines: oslo.messaging's urlsplit drops the line breaks (and tabs).
        { "two brokers wrapped over lines", "rabbit://phuser:S3cr%2Ct@h1:5672,\nphuser:S3cr%2Ct@h2:5673\n/myvhost", "myvhost", ["h1:5672", "h2:5673"] },
        { "a tab and a CRLF", "rabbit://phuser:pw@h1:5672,\r\n\tphuser:pw@h2:5673/myvhost", "myvhost", ["h1:5672", "h2:5673"] },
    };

    [Theory]
    [MemberData(nameof(Urls))]
    public void From_TransportUrl_EveryBrokerTheVhostAndNoPassword(string name, string url, string vhost, string[] brokers)
    {
        var connection = NotificationsConnection.From(Settings(url)).ShouldNotBeNull(name);

        connection.Factory.VirtualHost.ShouldBe(vhost, name);
        connection.Endpoints.Select(e => $"{e.HostName}:{e.Port}").ShouldBe(brokers, name);
        connection.Factory.UserName.ShouldBe(name.StartsWith("three", StringComparison.Ordinal) ? "u" : "phuser", name);
        connection.SafeUrl.ShouldNotContain("S3cr", Case.Sensitive, name);
        connection.SafeUrl.ShouldNotContain(":p@", Case.Sensitive, name);
    }

    [Theory]
    [InlineData("amqp://u:p@h1:5672/")]
    [InlineData("rabbit:///")]
    [InlineData("rabbit://u:p@h1:5672,/")]
    [InlineData("rabbit://u:p@[bad/")]
    [InlineData("rabbit://u:p@[::1/")]
    public void From_NotARabbitUrl_IsAConfigurationErrorThatDoesNotEchoIt(string url)
    {
        var error = Should.Throw<DatasourceConfigurationException>(() => NotificationsConnection.From(Settings(url)));

        error.Message.ShouldBe("[notifications] transport_url: expected rabbit://user:password@host:5672/vhost");
    }

    [Fact]
    public void From_IPv6Broker_SafeUrlKeepsTheBrackets()
    {
        NotificationsConnection.From(Settings("rabbit://phuser:pw@[::1]:5673/")).ShouldNotBeNull().SafeUrl.ShouldBe("rabbit://phuser:***@[::1]:5673/");
    }

    private static DatasourceSettings Settings(string url) => new(new Dictionary<string, object?>
    {
        ["transport_url"] = url,
        ["exchange"] = "openstack",
        ["topics"] = (IReadOnlyList<string>)["notifications"],
        ["pool"] = string.Empty,
        ["amqp_durable_queues"] = false,
        ["amqp_auto_delete"] = false,
    });
}
