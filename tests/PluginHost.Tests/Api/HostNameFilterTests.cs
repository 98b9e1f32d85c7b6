using PluginHost.Api;

namespace PluginHost.Tests.Api;

public sealed class HostNameFilterTests
{
    public static TheoryData<string, bool, string, string, bool> Cases => new()
    {
        // name, noauth on loopback, allowed_hosts (comma-separated), Host header name, served
        { "loopback noauth: localhost", true, "", "localhost", true },
        { "loopback noauth: LOCALHOST", true, "", "LOCALHOST", true },
        { "loopback noauth: an IPv4 literal", true, "", "127.0.0.1", true },
        { "loopback noauth: an IPv6 literal", true, "", "[::1]", true },
        { "loopback noauth: a name a page rebound", true, "", "rebound.attacker.example", false },
        { "loopback noauth: a name ending in localhost", true, "", "localhost.attacker.example", false },
        { "loopback noauth: no Host (HTTP/1.0)", true, "", "", true },
        { "loopback noauth: an allowed proxy name", true, "vitrage.example", "vitrage.example", true },
        { "loopback noauth: an allowed name, other case and root dot", true, "vitrage.example", "Vitrage.Example.", true },
        { "loopback noauth: a name not allowed", true, "vitrage.example", "other.example", false },
        { "loopback noauth: every name allowed", true, "*", "anything.example", true },
        { "other listener: any name", false, "", "api.example", true },
        { "other listener with allowed_hosts: its name", false, "api.example", "api.example", true },
        { "other listener with allowed_hosts: another name", false, "api.example", "other.example", false },
        { "other listener with allowed_hosts: the pod's IP (a probe)", false, "api.example", "10.244.1.7", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Allows_HostHeader_ServesLoopbackAddressesAndAllowedNamesOnly(string name, bool loopbackNoauth, string allowed, string host, bool expected)
    {
        var filter = new HostNameFilter(loopbackNoauth, allowed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        filter.Allows(host).ShouldBe(expected, name);
    }

    [Theory]
    [InlineData("vitrage.example", true)]
    [InlineData("10.0.0.5", true)]
    [InlineData("[fd00::1]", true)]
    [InlineData("*", true)]
    [InlineData("https://vitrage.example", false)]
    [InlineData("vitrage.example:8999", false)]
    [InlineData("*.example", false)]
    public void IsValidEntry_AllowedHostsEntry_OnlyNamesAddressesAndStar(string entry, bool expected) =>
        HostNameFilter.IsValidEntry(entry).ShouldBe(expected);
}
