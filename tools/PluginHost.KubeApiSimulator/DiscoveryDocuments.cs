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

    /// <summary>
    /// Groups besides the core one: only discovery (kubectl needs it to map kinds, e.g. for
    /// <c>kubectl apply --dry-run=client</c> of the host's deployment manifests); their objects are 404.
    /// </summary>
    public static object ApiGroups() => new Dictionary<string, object>
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = Groups.Select(g => new Dictionary<string, object>
        {
            ["name"] = g.Group,
            ["versions"] = new[] { new Dictionary<string, string> { ["groupVersion"] = $"{g.Group}/{g.Version}", ["version"] = g.Version } },
            ["preferredVersion"] = new Dictionary<string, string> { ["groupVersion"] = $"{g.Group}/{g.Version}", ["version"] = g.Version },
        }).ToArray(),
    };

    /// <summary>The resource list of <c>/apis/{group}/{version}</c>, or <c>null</c> for a group the simulator does not know.</summary>
    public static object? GroupResources(string groupVersion) =>
        Groups.FirstOrDefault(g => $"{g.Group}/{g.Version}" == groupVersion) is { Group: not null } group
            ? ResourceList(groupVersion, group.Resources)
            : null;

    public static object CoreResources() => ResourceList("v1",
    [
        ("nodes", "node", "Node", false, ["get", "list", "watch"], ["no"]),
        ("namespaces", "namespace", "Namespace", false, ["get", "list", "create"], ["ns"]),
        ("serviceaccounts", "serviceaccount", "ServiceAccount", true, ["get", "list", "create"], ["sa"]),
        ("configmaps", "configmap", "ConfigMap", true, ["get", "list", "create"], ["cm"]),
        ("secrets", "secret", "Secret", true, ["get", "list", "create"], []),
        ("services", "service", "Service", true, ["get", "list", "create"], ["svc"]),
    ]);

    private static readonly (string Group, string Version, (string Name, string Singular, string Kind, bool Namespaced, string[] Verbs, string[] ShortNames)[] Resources)[] Groups =
    [
        ("apps", "v1", [("deployments", "deployment", "Deployment", true, ["get", "list", "create"], ["deploy"])]),
        ("rbac.authorization.k8s.io", "v1",
        [
            ("clusterroles", "clusterrole", "ClusterRole", false, ["get", "list", "create"], []),
            ("clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, ["get", "list", "create"], []),
            ("roles", "role", "Role", true, ["get", "list", "create"], []),
            ("rolebindings", "rolebinding", "RoleBinding", true, ["get", "list", "create"], []),
        ]),
    ];

    private static object ResourceList(string groupVersion, (string Name, string Singular, string Kind, bool Namespaced, string[] Verbs, string[] ShortNames)[] resources) =>
        new Dictionary<string, object>
        {
            ["kind"] = "APIResourceList",
            ["groupVersion"] = groupVersion,
            ["resources"] = resources.Select(r => new Dictionary<string, object>
            {
                ["name"] = r.Name,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = r.Verbs,
                ["shortNames"] = r.ShortNames,
            }).ToArray(),
        };
}
