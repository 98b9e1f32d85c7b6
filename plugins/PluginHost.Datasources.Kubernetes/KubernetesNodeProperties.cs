using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// Reads a raw node into the vertex properties of DESIGN.md section 5. Absent fields are left out;
/// nothing here throws on a partial node.
/// </summary>
internal static class KubernetesNodeProperties
{
    private const string RoleLabelPrefix = "node-role.kubernetes.io/";
    private static ReadOnlySpan<byte> RoleLabelPrefixUtf8 => "node-role.kubernetes.io/"u8;
    private static ReadOnlySpan<byte> LegacyRoleLabelUtf8 => "kubernetes.io/role"u8;

    public static Dictionary<string, object?> Read(JsonElement node, bool includeAnnotations, bool instanceIdFromSystemUuid)
    {
        // Sized for a full node's properties (about 25), so it is not grown and copied three times.
        var properties = new Dictionary<string, object?>(28, StringComparer.Ordinal);
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

        var addresses = Child(status, "addresses");
        if (addresses.ValueKind == JsonValueKind.Array)
        {
            var internalIp = FirstAddress(addresses, "InternalIP");
            var externalIp = FirstAddress(addresses, "ExternalIP");
            var hostname = FirstAddress(addresses, "Hostname");
            Copy(properties, "internal_ip", internalIp);
            Copy(properties, "external_ip", externalIp);
            Copy(properties, "hostname", hostname);

            // The one address to show, in Prometheus' kubernetes_sd order; the ones read above are reused.
            Copy(properties, "ip", internalIp ?? FirstAddress(addresses, "InternalDNS") ?? externalIp ?? FirstAddress(addresses, "ExternalDNS") ?? hostname);
        }

        var (providerIdText, externalIdText, systemUuid) = IdentityFields(node);
        var providerId = ProviderId.Parse(providerIdText);
        Copy(properties, "provider_id", providerIdText);
        Copy(properties, "provider", providerId.Provider);
        Copy(properties, "instance_id", InstanceId(providerId, externalIdText, systemUuid, instanceIdFromSystemUuid));
        Copy(properties, "external_id", externalIdText);

        if (Child(spec, "unschedulable") is { ValueKind: JsonValueKind.True or JsonValueKind.False } unschedulable)
        {
            properties["unschedulable"] = unschedulable.GetBoolean();
        }

        var labels = Child(metadata, "labels");
        if (labels.ValueKind == JsonValueKind.Object)
        {
            if (Roles(labels) is { } roles)
            {
                properties["roles"] = roles;
            }

            Copy(properties, "zone", String(labels, "topology.kubernetes.io/zone") ?? String(labels, "failure-domain.beta.kubernetes.io/zone"));
            Copy(properties, "region", String(labels, "topology.kubernetes.io/region") ?? String(labels, "failure-domain.beta.kubernetes.io/region"));
        }

        // By the names written, not EnumerateObject's: its names would be new strings for every node.
        var structured = StructuredProperties(addresses, status, spec, labels, includeAnnotations ? Child(metadata, "annotations") : default);
        foreach (var name in StructuredNames)
        {
            if (structured.Health.TryGetProperty(name, out var value) || structured.Description.TryGetProperty(name, out value))
            {
                properties[name] = value;
            }
        }

        return properties;
    }

    // What StructuredProperties writes, in the vertex's order.
    private static readonly string[] StructuredNames = ["addresses", "conditions", "taints", "labels", "annotations", "node_info", "capacity", "allocatable", "pod_cidrs"];

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// The map- and list-shaped properties as two compact JSON documents per node, copied from the
    /// event's bytes: the node's health (conditions, taints), which its watched changes are mostly
    /// about, and its description (addresses, labels, annotations, node info, capacity,
    /// allocatable, pod CIDRs), which seldom changes. A vertex keeps only these documents, not the
    /// event (whose images and the like would otherwise stay in memory for as long as the vertex),
    /// and a handful of objects per node instead of a dictionary per label or condition. Two, so
    /// that when only the health changed the host keeps the description document it already holds
    /// (values equal to the held ones are not replaced) and the new one dies young.
    /// </summary>
    private static (JsonElement Health, JsonElement Description) StructuredProperties(
        JsonElement addresses, JsonElement status, JsonElement spec, JsonElement labels, JsonElement annotations)
    {
        var health = Document((status, spec), static (writer, node) =>
        {
            WriteConditions(writer, Child(node.status, "conditions"));
            WriteRaw(writer, "taints", Child(node.spec, "taints"), JsonValueKind.Array);
        });
        var description = Document((addresses, status, spec, labels, annotations), static (writer, node) =>
        {
            WriteRaw(writer, "addresses", node.addresses, JsonValueKind.Array);
            WriteRaw(writer, "labels", node.labels, JsonValueKind.Object);
            WriteRaw(writer, "annotations", node.annotations, JsonValueKind.Object);
            WriteRaw(writer, "node_info", Child(node.status, "nodeInfo"), JsonValueKind.Object);
            WriteRaw(writer, "capacity", Child(node.status, "capacity"), JsonValueKind.Object);
            WriteRaw(writer, "allocatable", Child(node.status, "allocatable"), JsonValueKind.Object);
            WritePodCidrs(writer, node.spec);
        });
        return (health, description);
    }

    // One object written by writeMembers into the thread's buffer, parsed into a document of its own.
    private static JsonElement Document<TState>(TState state, Action<Utf8JsonWriter, TState> writeMembers)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        writer.WriteStartObject();
        writeMembers(writer, state);
        writer.WriteEndObject();
        writer.Flush();
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }

    private static void WriteRaw(Utf8JsonWriter writer, string name, JsonElement value, JsonValueKind kind)
    {
        if (value.ValueKind == kind)
        {
            writer.WritePropertyName(name);
            writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
        }
    }

    // [{type, status, reason, message, last_transition_time}], the API's values copied as they are.
    private static void WriteConditions(Utf8JsonWriter writer, JsonElement conditions)
    {
        var items = Items(conditions, JsonValueKind.Object);
        if (!items.Any())
        {
            return;
        }

        writer.WriteStartArray("conditions");
        foreach (var condition in items)
        {
            writer.WriteStartObject();
            WriteRaw(writer, "type", Child(condition, "type"), JsonValueKind.String);
            WriteRaw(writer, "status", Child(condition, "status"), JsonValueKind.String);
            WriteRaw(writer, "reason", Child(condition, "reason"), JsonValueKind.String);
            WriteRaw(writer, "message", Child(condition, "message"), JsonValueKind.String);
            WriteRaw(writer, "last_transition_time", Child(condition, "lastTransitionTime"), JsonValueKind.String);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WritePodCidrs(Utf8JsonWriter writer, JsonElement spec)
    {
        var cidrs = Items(Child(spec, "podCIDRs"), JsonValueKind.String);
        if (cidrs.Any())
        {
            writer.WriteStartArray("pod_cidrs");
            foreach (var cidr in cidrs)
            {
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(cidr), skipInputValidation: true);
            }

            writer.WriteEndArray();
        }
        else if (Child(spec, "podCIDR") is { ValueKind: JsonValueKind.String } single)
        {
            writer.WriteStartArray("pod_cidrs");
            writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(single), skipInputValidation: true);
            writer.WriteEndArray();
        }
    }

    /// <summary><c>Ready</c>, <c>NotReady</c> or <c>Unknown</c>, from the Ready condition.</summary>
    public static string State(JsonElement node)
    {
        if (Child(Child(node, "status"), "conditions") is { ValueKind: JsonValueKind.Array } conditions)
        {
            foreach (var condition in conditions.EnumerateArray())
            {
                if (Is(Child(condition, "type"), "Ready"))
                {
                    var status = Child(condition, "status");
                    return Is(status, "True") ? "Ready" : Is(status, "False") ? "NotReady" : "Unknown";
                }
            }
        }

        return "Unknown";
    }

    /// <summary>
    /// The cloud's instance id: from providerID, else the deprecated externalID, else (opt-in, OpenStack
    /// nodes only) the lower-cased systemUUID.
    /// </summary>
    public static string? InstanceId(ProviderId providerId, string? externalId, string? systemUuid, bool instanceIdFromSystemUuid)
    {
        if (providerId.InstanceId is { } id)
        {
            return id;
        }

        if (externalId is { Length: > 0 })
        {
            return externalId;
        }

        return instanceIdFromSystemUuid && providerId.Provider == ProviderId.OpenStack && systemUuid is { Length: > 0 }
            ? systemUuid.ToLowerInvariant()
            : null;
    }

    /// <summary>The raw fields <see cref="InstanceId(ProviderId, string?, string?, bool)"/> reads, from a node.</summary>
    public static (string? ProviderId, string? ExternalId, string? SystemUuid) IdentityFields(JsonElement node)
    {
        var spec = Child(node, "spec");
        return (String(spec, "providerID"), String(spec, "externalID"), String(Child(Child(node, "status"), "nodeInfo"), "systemUUID"));
    }

    /// <summary>
    /// The Nova instance id of a node on OpenStack, or <c>null</c>. A node without providerID whose
    /// deprecated externalID is a UUID is taken as an OpenStack VM, as Vitrage's own datasource did.
    /// </summary>
    public static string? OpenStackInstanceId(string? provider, string? instanceId) =>
        provider switch
        {
            ProviderId.OpenStack => instanceId,
            null when instanceId is not null && Guid.TryParse(instanceId, out _) => instanceId,
            _ => null,
        };

    private static string? FirstAddress(JsonElement addresses, string type)
    {
        foreach (var address in addresses.EnumerateArray())
        {
            if (Is(Child(address, "type"), type) && String(address, "address") is { Length: > 0 } value)
            {
                return value;
            }
        }

        return null;
    }

    // Label names are compared as the raw bytes the node holds: a string is made only for a role
    // (a node has dozens of labels and one or two roles). A name written with escapes is read as text.
    private static List<string>? Roles(JsonElement labels)
    {
        List<string>? roles = null;
        foreach (var label in labels.EnumerateObject())
        {
            if (label.NameEquals(LegacyRoleLabelUtf8))
            {
                if (label.Value.ValueKind == JsonValueKind.String && label.Value.GetString() is { Length: > 0 } legacyRole)
                {
                    (roles ??= []).Add(legacyRole);
                }

                continue;
            }

            var raw = JsonMarshal.GetRawUtf8PropertyName(label);
            if (!raw.StartsWith(RoleLabelPrefixUtf8) && !raw.Contains((byte)'\\'))
            {
                continue;
            }

            var name = label.Name;
            if (name.StartsWith(RoleLabelPrefix, StringComparison.Ordinal) && name.Length > RoleLabelPrefix.Length)
            {
                (roles ??= []).Add(name[RoleLabelPrefix.Length..]);
            }
        }

        return roles?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether the element is the string <paramref name="text"/>, compared in place (no string made).</summary>
    internal static bool Is(JsonElement element, string text) =>
        element.ValueKind == JsonValueKind.String && element.ValueEquals(text);

    /// <summary>A member of an object, or an undefined element (never a throw on a partial node).</summary>
    internal static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;

    /// <summary>The items of <paramref name="kind"/> in <paramref name="list"/>; none when it is no array.</summary>
    internal static JsonItemsOfKind Items(JsonElement list, JsonValueKind kind) => new(list, kind);

    /// <summary>A string member of an object, or <c>null</c>.</summary>
    internal static string? String(JsonElement element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>Sets <paramref name="name"/> when there is a value: absent fields are left out.</summary>
    internal static void Copy(Dictionary<string, object?> properties, string name, string? value)
    {
        if (value is not null)
        {
            properties[name] = value;
        }
    }
}
