using PluginHost.Outputs.Notifications;

namespace PluginHost.Tests.Notifications;

public sealed class TransportUrlTests
{
    private const string Hint = "expected rabbit://user:password@host:port/vhost, where / ? # , @ and : in a user or password are percent-encoded (%2F %3F %23 %2C %40 %3A)";

    [Theory]
    [InlineData("one host, default vhost", "rabbit://vitrage:pw@ctl:5672/", "ctl:5672 vitrage/pw", "/")]
    [InlineData("no port", "rabbit://u:p@ctl/", "ctl:5672 u/p", "/")]
    [InlineData("no path", "rabbit://u:p@ctl:5673", "ctl:5673 u/p", "/")]
    [InlineData("cluster", "rabbit://a:1@h1:5672,b:2@h2:5673/", "h1:5672 a/1,h2:5673 b/2", "/")]
    [InlineData("vhost", "rabbit://u:p@ctl:5672/openstack", "ctl:5672 u/p", "openstack")]
    [InlineData("escaped password", "rabbit://u:p%40ss%3Aw@ctl:5672/", "ctl:5672 u/p@ss:w", "/")]
    [InlineData("no credentials", "rabbit://ctl:5672/", "ctl:5672 guest/guest", "/")]
    [InlineData("IPv6 with port", "rabbit://u:p@[::1]:5673/", "::1:5673 u/p", "/")]
    [InlineData("IPv6 without port", "rabbit://u:p@[fd00::2]/", "fd00::2:5672 u/p", "/")]
    [InlineData("IPv6 in a cluster", "rabbit://a:1@h1:5672,b:2@[::1]:5673/vh", "h1:5672 a/1,::1:5673 b/2", "vh")]
    public void Parse_OsloTransportUrl_GivesHostsCredentialsAndVhost(string name, string url, string hosts, string vhost)
    {
        var parsed = TransportUrl.Parse(url);

        string.Join(",", parsed.Hosts.Select(h => $"{h.Host}:{h.Port} {h.UserName}/{h.Password}")).ShouldBe(hosts, name);
        parsed.VirtualHost.ShouldBe(vhost, name);
    }

    [Fact]
    public void Parse_Query_IsKept()
    {
        TransportUrl.Parse("rabbit://u:p@h:5672/?amqp_durable_queues=true").Query["amqp_durable_queues"].ShouldBe("true");
    }

    [Theory]
    [InlineData("other scheme", "amqp://u:p@h/", "expected rabbit://user:password@host:port/vhost")]
    [InlineData("bad port", "rabbit://u:p@h:abc/", "a host's port is not a number from 1 to 65535; expected rabbit://user:password@host:port/vhost, where / ? # , @ and : in a user or password are percent-encoded (%2F %3F %23 %2C %40 %3A)")]
    [InlineData("no host", "rabbit:///vhost", "no host in the transport URL")]
    [InlineData("bracket not closed", "rabbit://u:p@[bad/", "a host in [brackets] must be an IPv6 address, as in rabbit://user:password@[::1]:5672/; " + Hint)]
    [InlineData("IPv4 in brackets", "rabbit://u:p@[127.0.0.1]:5672/", "a host in [brackets] must be an IPv6 address, as in rabbit://user:password@[::1]:5672/; " + Hint)]
    [InlineData("text after the brackets", "rabbit://u:p@[::1]x/", "after an [IPv6] address only :port may follow; " + Hint)]
    [InlineData("bracket inside a name", "rabbit://u:p@ctl]:5672/", "a host name holds a bracket (an IPv6 address is written [::1]); " + Hint)]
    [InlineData("IPv6 without brackets", "rabbit://u:p@::1/", "a host holds more than one ':' (an IPv6 address is written [::1]); " + Hint)]
    [InlineData("empty host with a port", "rabbit://u:p@:5672/", "a host of the transport URL is empty; " + Hint)]
    public void Parse_Invalid_SaysWhat(string name, string url, string message)
    {
        Should.Throw<FormatException>(() => TransportUrl.Parse(url)).Message.ShouldBe(message, name);
    }

    [Theory]
    [InlineData("two brokers", "rabbit://a:s3cret@h1:5672,b:0ther@h2:5672/vh", "rabbit://a:***@h1:5672,b:***@h2:5672/vh")]
    [InlineData("IPv6 keeps its brackets", "rabbit://a:s3cret@[::1]:5673/", "rabbit://a:***@[::1]:5673/")]
    public void ToString_NeverShowsPasswords(string name, string url, string shown)
    {
        TransportUrl.Parse(url).ToString().ShouldBe(shown, name);
    }

    [Theory]
    [InlineData("slash in the password", "rabbit://guest:S3/cr3tPw@ctl:5672/", "S3")]
    [InlineData("question mark in the password", "rabbit://guest:S3?cr3tPw@ctl:5672/", "S3")]
    [InlineData("comma in the password", "rabbit://guest:S3,cr3tPw@ctl:5672/", "cr3tPw")]
    [InlineData("hash and colon", "rabbit://guest:a:S3cr3tPw@ctl:abc/", "S3cr3tPw")]
    public void Parse_UnencodedPassword_NeverQuotesAnyPartOfIt(string name, string url, string secretPart)
    {
        var message = Should.Throw<FormatException>(() => TransportUrl.Parse(url)).Message;

        message.ShouldNotContain(secretPart, Case.Sensitive, name);
        message.ShouldNotContain("guest", Case.Sensitive, name);
        message.ShouldContain("percent-encoded", Case.Sensitive, name);
    }
}
