namespace PluginHost.KubeApiSimulator;

/// <summary>The discovery documents kubectl reads before it lists anything.</summary>
internal static class DiscoveryDocuments
{
    public static object Version(SimulatorOptions options)
    {
        var parts = options.KubernetesVersion.TrimStart('v').Split('.');
        return new Dictionary<string, string>
        {
            ["major"] = parts[0],
            ["minor"] = parts.Length > 1 ? parts[1] : "0",
            ["gitVersion"] = options.KubernetesVersion,
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2024-10-22T20:28:14Z",
            ["goVersion"] = "go1.22.8",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
    }

    public static object ApiVersions(Uri baseUrl) => new Dictionary<string, object>
    {
        ["kind"] = "APIVersions",
        ["versions"] = new[] { "v1" },
        ["serverAddressByClientCIDRs"] = new[]
        {
            new Dictionary<string, string> { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = baseUrl.Authority },
        },
    };

    public static object ApiGroups() => new Dictionary<string, object>
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = Array.Empty<object>(),
    };

    public static object CoreResources() => new Dictionary<string, object>
    {
        ["kind"] = "APIResourceList",
        ["groupVersion"] = "v1",
        ["resources"] = new object[]
        {
            new Dictionary<string, object>
            {
                ["name"] = "nodes",
                ["singularName"] = "node",
                ["namespaced"] = false,
                ["kind"] = "Node",
                ["verbs"] = new[] { "get", "list", "watch" },
                ["shortNames"] = new[] { "no" },
            },
        },
    };
}
