using PluginHost.Configuration;
using PluginHost.Scheduling;

namespace PluginHost.Tests.Scheduling;

/// <summary>What a reload may change at once and what needs a restart.</summary>
public sealed class ConfigurationDiffTests
{
    [Fact]
    public void RestartOnly_ReleaseMemoryBelowChanged_NeedsARestartAndKeepsTheRunningBound()
    {
        var running = new HostSettings { ReleaseMemoryBelowMiB = 256 };
        var reloaded = new HostSettings { ReleaseMemoryBelowMiB = 0 };

        ConfigurationDiff.RestartOnly(running, reloaded).ShouldBe([("[plugin_host] release_memory_below", "256", "0")]);
        ConfigurationDiff.KeepRestartOnly(running, reloaded).ReleaseMemoryBelowMiB.ShouldBe(256);
    }

    private const string Password = "s3cret-service-pw";

    private static KeystoneSettings Keystone(string password = Password, string user = "vitrage") => new()
    {
        IdentityUri = new Uri("http://keystone.example:5000/v3/"),
        WwwAuthenticateUri = "http://keystone.example:5000",
        Username = user,
        Password = password,
        ProjectName = "service",
        UserDomainName = "Default",
        ProjectDomainName = "Default",
    };

    private static readonly ApiSettings KeystoneApi = new() { AuthMode = ApiAuthMode.Keystone, Keystone = Keystone() };

    // Named cases: the settings types are internal, so the theory takes only the name.
    private static readonly Dictionary<string, (ApiSettings Before, ApiSettings After, string[] Expected)> ApiCases = new()
    {
        ["auth_mode turned to keystone"] = (new ApiSettings(), KeystoneApi, ["[api]", "[keystone_authtoken]"]),
        ["the port"] = (new ApiSettings(), new ApiSettings { Port = 9000 }, ["[api]"]),
        ["TLS turned on"] = (new ApiSettings(), new ApiSettings { CertFile = "/etc/pki/api.crt", KeyFile = "/etc/pki/api.key" }, ["[api]"]),
        ["the API disabled"] = (new ApiSettings(), new ApiSettings { Enabled = false }, ["[api]"]),
        ["the service password"] = (KeystoneApi, KeystoneApi with { Keystone = Keystone(password: "an0ther-pw") }, ["[keystone_authtoken]"]),
        ["the service user"] = (KeystoneApi, KeystoneApi with { Keystone = Keystone(user: "ops") }, ["[keystone_authtoken]"]),
        ["an equal keystone section read again"] = (KeystoneApi, KeystoneApi with { Keystone = Keystone() }, []),
        ["allowed_hosts"] = (new ApiSettings(), new ApiSettings { AllowedHosts = ["vitrage.example"] }, ["[api] allowed_hosts"]),
        ["an equal allowed_hosts read again"] = (new ApiSettings { AllowedHosts = ["vitrage.example"] }, new ApiSettings { AllowedHosts = ["vitrage.example"] }, []),
    };

    public static TheoryData<string> ApiChanges => [.. ApiCases.Keys];

    // Found by a hostile test (stop 38): a reload that turned on Keystone said "nothing changed" and
    // the API stayed open to anyone sending X-Roles: admin.
    [Theory]
    [MemberData(nameof(ApiChanges))]
    public void RestartOnly_ApiChanged_NeedsARestartKeepsTheRunningApiAndNeverNamesThePassword(string name)
    {
        var (before, after, expected) = ApiCases[name];
        var running = new HostSettings { Api = before };
        var reloaded = new HostSettings { Api = after };

        var changes = ConfigurationDiff.RestartOnly(running, reloaded).ToList();

        changes.Select(c => c.What).ShouldBe(expected, name);
        ConfigurationDiff.KeepRestartOnly(running, reloaded).Api.ShouldBeSameAs(before, name);
        foreach (var (what, was, now) in changes)
        {
            (what + was + now).ShouldNotContain(Password, Case.Sensitive, name);
            (what + was + now).ShouldNotContain("an0ther-pw", Case.Sensitive, name);
            was.ShouldNotBe(now, name);
        }
    }
}
