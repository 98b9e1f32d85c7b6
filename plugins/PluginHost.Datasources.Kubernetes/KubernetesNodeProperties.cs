using System.Globalization;
using System.Text.Json;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// Reads a raw node into the vertex properties of DESIGN.md section 5. Absent fields are left out;
/// nothing here throws on a partial node.
/// </summary>
internal static class KubernetesNodeProperties
{
    // Prometheus' kubernetes_sd order for the one address to show.
    private static readonly string[] PreferredAddressTypes = ["InternalIP", "InternalDNS", "ExternalIP", "ExternalDNS", "Hostname"];

    private const string RoleLabelPrefix = "node-role.kubernetes.io/";

    public static Dictionary<string, object?> Read(JsonElement node, bool includeAnnotations, bool instanceIdFromSystemUuid)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        var metadata = Child(node, "metadata");
        var spec = Child(node, "spec");
        var status = Child(node, "status");

        if (String(metadata, "creationTimestamp") is { } created)
        {
            properties["creation_timestamp"] = DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                ? time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                : created;
        }

        Copy(properties, "name", String(metadata, "name"));
        Copy(properties, "uid", String(metadata, "uid"));
        Copy(properties, "resource_version", String(metadata, "resourceVersion"));

        var addresses = Addresses(status);
        if (addresses.Count > 0)
        {
            properties["addresses"] = addresses.Select(a => new Dictionary<string, string> { ["type"] = a.Type, ["address"] = a.Address }).ToList();
            Copy(properties, "internal_ip", addresses.FirstOrDefault(a => a.Type == "InternalIP").Address);
            Copy(properties, "external_ip", addresses.FirstOrDefault(a => a.Type == "ExternalIP").Address);
            Copy(properties, "hostname", addresses.FirstOrDefault(a => a.Type == "Hostname").Address);
            Copy(properties, "ip", PreferredAddressTypes
                .Select(t => addresses.FirstOrDefault(a => a.Type == t).Address)
                .FirstOrDefault(a => a is not null));
        }

        var providerIdText = String(spec, "providerID");
        var providerId = ProviderId.Parse(providerIdText);
        Copy(properties, "provider_id", providerIdText);
        Copy(properties, "provider", providerId.Provider);
        Copy(properties, "instance_id", InstanceId(node, instanceIdFromSystemUuid));
        Copy(properties, "external_id", String(spec, "externalID"));

        var conditions = Conditions(status);
        if (conditions.Count > 0)
        {
            properties["conditions"] = conditions;
        }

        if (spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("unschedulable", out var unschedulable)
            && unschedulable.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            properties["unschedulable"] = unschedulable.GetBoolean();
        }

        if (Child(spec, "taints") is { ValueKind: JsonValueKind.Array } taints)
        {
            properties["taints"] = taints.EnumerateArray().Select(t => StringMap(t, "key", "value", "effect")).ToList();
        }

        var labels = Map(Child(metadata, "labels"));
        if (labels is not null)
        {
            var roles = labels.Keys.Where(k => k.StartsWith(RoleLabelPrefix, StringComparison.Ordinal) && k.Length > RoleLabelPrefix.Length)
                .Select(k => k[RoleLabelPrefix.Length..])
                .Concat(labels.TryGetValue("kubernetes.io/role", out var legacyRole) && legacyRole.Length > 0 ? [legacyRole] : [])
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (roles.Count > 0)
            {
                properties["roles"] = roles;
            }

            Copy(properties, "zone", Label(labels, "topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"));
            Copy(properties, "region", Label(labels, "topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region"));
            properties["labels"] = labels;
        }

        if (includeAnnotations && Map(Child(metadata, "annotations")) is { } annotations)
        {
            properties["annotations"] = annotations;
        }

        CopyMap(properties, "node_info", Child(status, "nodeInfo"));
        CopyMap(properties, "capacity", Child(status, "capacity"));
        CopyMap(properties, "allocatable", Child(status, "allocatable"));

        var podCidrs = Child(spec, "podCIDRs") is { ValueKind: JsonValueKind.Array } cidrs
            ? cidrs.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()!).ToList()
            : [];
        if (podCidrs.Count == 0 && String(spec, "podCIDR") is { } podCidr)
        {
            podCidrs.Add(podCidr);
        }

        if (podCidrs.Count > 0)
        {
            properties["pod_cidrs"] = podCidrs;
        }

        return properties;
    }

    /// <summary><c>Ready</c>, <c>NotReady</c> or <c>Unknown</c>, from the Ready condition.</summary>
    public static string State(JsonElement node) =>
        Conditions(Child(node, "status")).FirstOrDefault(c => (string?)c["type"] == "Ready")?["status"] switch
        {
            "True" => "Ready",
            "False" => "NotReady",
            _ => "Unknown",
        };

    /// <summary>
    /// The cloud's instance id: from providerID, else the deprecated externalID, else (opt-in, OpenStack
    /// nodes only) the lower-cased systemUUID.
    /// </summary>
    public static string? InstanceId(JsonElement node, bool instanceIdFromSystemUuid)
    {
        var spec = Child(node, "spec");
        var providerId = ProviderId.Parse(String(spec, "providerID"));
        if (providerId.InstanceId is { } id)
        {
            return id;
        }

        if (String(spec, "externalID") is { Length: > 0 } externalId)
        {
            return externalId;
        }

        return instanceIdFromSystemUuid && providerId.Provider == ProviderId.OpenStack
            && String(Child(Child(node, "status"), "nodeInfo"), "systemUUID") is { Length: > 0 } systemUuid
            ? systemUuid.ToLowerInvariant()
            : null;
    }

    /// <summary>
    /// The Nova instance id of a node on OpenStack, or <c>null</c>. A node without providerID whose
    /// deprecated externalID is a UUID is taken as an OpenStack VM, as Vitrage's own datasource did.
    /// </summary>
    public static string? OpenStackInstanceId(JsonElement node, bool instanceIdFromSystemUuid)
    {
        var spec = Child(node, "spec");
        var provider = ProviderId.Parse(String(spec, "providerID")).Provider;
        var instanceId = InstanceId(node, instanceIdFromSystemUuid);
        return provider switch
        {
            ProviderId.OpenStack => instanceId,
            null when instanceId is not null && Guid.TryParse(instanceId, out _) => instanceId,
            _ => null,
        };
    }

    private readonly record struct NodeAddress(string Type, string Address);

    private static List<NodeAddress> Addresses(JsonElement status) =>
        Child(status, "addresses") is { ValueKind: JsonValueKind.Array } addresses
            ? addresses.EnumerateArray()
                .Select(a => new NodeAddress(String(a, "type") ?? string.Empty, String(a, "address") ?? string.Empty))
                .Where(a => a.Address.Length > 0)
                .ToList()
            : [];

    private static List<Dictionary<string, object?>> Conditions(JsonElement status) =>
        Child(status, "conditions") is { ValueKind: JsonValueKind.Array } conditions
            ? conditions.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object).Select(c =>
            {
                var condition = new Dictionary<string, object?>(StringComparer.Ordinal);
                Copy(condition, "type", String(c, "type"));
                Copy(condition, "status", String(c, "status"));
                Copy(condition, "reason", String(c, "reason"));
                Copy(condition, "message", String(c, "message"));
                Copy(condition, "last_transition_time", String(c, "lastTransitionTime"));
                return condition;
            }).ToList()
            : [];

    private static string? Label(Dictionary<string, string> labels, string name, string legacyName) =>
        labels.TryGetValue(name, out var value) ? value : labels.GetValueOrDefault(legacyName);

    private static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;

    private static string? String(JsonElement element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static Dictionary<string, string>? Map(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            map[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
        }

        return map;
    }

    private static Dictionary<string, string> StringMap(JsonElement element, params string[] names)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (String(element, name) is { } value)
            {
                map[name] = value;
            }
        }

        return map;
    }

    private static void CopyMap(Dictionary<string, object?> properties, string name, JsonElement element)
    {
        if (Map(element) is { } map)
        {
            properties[name] = map;
        }
    }

    private static void Copy(Dictionary<string, object?> properties, string name, string? value)
    {
        if (value is not null)
        {
            properties[name] = value;
        }
    }
}
