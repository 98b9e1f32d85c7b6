using PluginHost.Configuration;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Configuration;

public sealed class ApiSettingsLoaderTests(EchoPluginFolder plugins) : IClassFixture<EchoPluginFolder>
{
    private const string Password = "hunter2-service";

    private HostConfiguration Load(TempFolder temp, string sections) =>
        HostConfigurationLoader.Load(ConfigFileSet.Load([temp.File("vitrage.conf", $"""
            [datasources]
            types = echo
            plugin_path = {plugins.Plugins}
            [echo]
            entities_file = /tmp/entities
            {sections}
            """)], []));

    public static TheoryData<string, string, string> Errors => new()
    {
        { "a host name", "[api]\nhost = api.example.com", "[api] host = 'api.example.com': expected an IP address (such as 127.0.0.1, 0.0.0.0 or ::) or localhost" },
        { "a port out of range", "[api]\nport = 70000", "[api] port = '70000': expected an integer from 0 to 65535" },
        { "an allowed host with a scheme", "[api]\nallowed_hosts = vitrage.example, https://proxy.example", "[api] allowed_hosts: 'https://proxy.example' is not a host name, an IP address or *" },
        { "an unknown auth mode", "[api]\nauth_mode = ldap", "[api] auth_mode = 'ldap': expected one of noauth, keystone" },
        { "a certificate without its key", "[api]\ncert_file = /etc/ssl/api.pem", "[api] cert_file and key_file go together" },
        { "a missing certificate", "[api]\ncert_file = /nonexistent/api.pem\nkey_file = /nonexistent/api.key", "[api] cert_file = '/nonexistent/api.pem': no such file" },
        { "keystone without an endpoint", "[api]\nauth_mode = keystone", "[api] auth_mode = keystone needs [keystone_authtoken] auth_url (or www_authenticate_uri)" },
        { "keystone without a user", $"[api]\nauth_mode = keystone\n[keystone_authtoken]\nauth_url = http://keystone:5000\npassword = {Password}",
            "[api] auth_mode = keystone needs [keystone_authtoken] username" },
        { "keystone at a non-HTTP URL", $"[api]\nauth_mode = keystone\n[keystone_authtoken]\nauth_url = ftp://keystone\nusername = vitrage\npassword = {Password}",
            "[keystone_authtoken] auth_url = 'ftp://keystone': expected an http or https URL" },
        { "a bad keystone timeout", $"[api]\nauth_mode = keystone\n[keystone_authtoken]\nauth_url = http://k\nusername = v\npassword = {Password}\nhttp_connect_timeout = soon",
            "[keystone_authtoken] http_connect_timeout = 'soon': expected an integer from 1 to 300" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Load_BadApiSettings_ErrorNamesSectionKeyAndValueButNoSecret(string name, string sections, string expected)
    {
        using var temp = new TempFolder();

        var error = Should.Throw<ConfigException>(() => Load(temp, sections));

        error.Errors.ShouldContain(e => e.Contains(expected, StringComparison.Ordinal), $"{name}: {string.Join("; ", error.Errors)}");
        error.Errors.ShouldNotContain(e => e.Contains(Password, StringComparison.Ordinal), name);
    }

    [Theory]
    [InlineData("http://keystone:5000", "http://keystone:5000/v3/")]
    [InlineData("http://keystone:5000/v3", "http://keystone:5000/v3/")]
    [InlineData("https://cloud.example/identity/v3/", "https://cloud.example/identity/v3/")]
    public void Load_Keystone_ValidatesAtTheIdentityV3Root(string authUrl, string identity)
    {
        using var temp = new TempFolder();

        var api = Load(temp, $"""
            [api]
            auth_mode = keystone
            [keystone_authtoken]
            auth_url = {authUrl}
            username = vitrage
            password = {Password}
            memcached_servers = controller:11211
            """).Host.Api;

        api.AuthMode.ShouldBe(ApiAuthMode.Keystone);
        api.Keystone!.IdentityUri.ToString().ShouldBe(identity);
        api.Keystone.WwwAuthenticateUri.ShouldBe(authUrl);
        api.Keystone.CacheTime.ShouldBe(TimeSpan.FromSeconds(300));
        api.Keystone.ToString().ShouldNotContain(Password);
    }

    [Fact]
    public void Load_NoApiSection_ServesNoauthOnLoopbackPort8999()
    {
        using var temp = new TempFolder();

        var configuration = Load(temp, "[keystone_authtoken]\nauth_url = http://keystone:5000\n");

        configuration.Host.Api.ShouldBe(new ApiSettings { Enabled = true, Host = "127.0.0.1", Port = 8999, AuthMode = ApiAuthMode.NoAuth });
        configuration.Diagnostics.Debug.ShouldContain(d => d.Contains("[keystone_authtoken] is not used", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("the default", "127.0.0.1")]
    [InlineData("every IPv4 interface", "0.0.0.0")]
    [InlineData("every IPv6 interface", "::")]
    [InlineData("IPv6 loopback", "::1")]
    [InlineData("localhost in capitals", "LocalHost")]
    [InlineData("another IPv4 address", "10.20.30.40")]
    [InlineData("another IPv6 address", "fd00::8999")]
    [InlineData("an address with blanks around it", " 192.0.2.7 ")]
    public void Load_ListenableHost_IsAccepted(string name, string host)
    {
        using var temp = new TempFolder();

        var configuration = Load(temp, $"[api]\nhost = {host}");

        configuration.Host.Api.Host.ShouldBe(host.Trim(), name);
    }
}
