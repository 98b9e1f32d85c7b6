using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using PluginHost.Contracts;

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
            properties["creation_timestamp"] = UtcSecondsText(created);
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

        // The map- and list-shaped properties, each the JSON text it is in the event (conditions and
        // pod CIDRs rewritten with this vertex's names), without a parsed document: a vertex keeps
        // only these bytes, not the event (whose images and the like would otherwise stay in memory
        // for as long as the vertex), and none of a document's metadata. When only some changed the
        // host keeps the held values of the others (equal bytes), so the new copies die young.
        Raw(properties, "addresses", addresses, JsonValueKind.Array);
        Written(properties, "conditions", Child(status, "conditions"), WriteConditions);
        Raw(properties, "taints", Child(spec, "taints"), JsonValueKind.Array);
        Raw(properties, "labels", labels, JsonValueKind.Object);
        if (includeAnnotations)
        {
            Raw(properties, "annotations", Child(metadata, "annotations"), JsonValueKind.Object);
        }

        Raw(properties, "node_info", Child(status, "nodeInfo"), JsonValueKind.Object);
        Raw(properties, "capacity", Child(status, "capacity"), JsonValueKind.Object);
        Raw(properties, "allocatable", Child(status, "allocatable"), JsonValueKind.Object);
        Written(properties, "pod_cidrs", spec, WritePodCidrs);
        return properties;
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    // The element's own bytes (already read as valid JSON), when it is of the kind the property is.
    private static void Raw(Dictionary<string, object?> properties, string name, JsonElement value, JsonValueKind kind)
    {
        if (value.ValueKind == kind)
        {
            properties[name] = Utf8JsonValue.FromElement(value);
        }
    }

    // What write made of source in the thread's buffer, when it wrote anything.
    private static void Written(Dictionary<string, object?> properties, string name, JsonElement source, Action<Utf8JsonWriter, JsonElement> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        write(writer, source);
        writer.Flush();
        if (buffer.WrittenCount > 0)
        {
            properties[name] = Utf8JsonValue.Parse(buffer.WrittenSpan);
        }
    }

    private static void WriteRaw(Utf8JsonWriter writer, string name, JsonElement value, JsonValueKind kind)
    {
        if (value.ValueKind == kind)
        {
            writer.WritePropertyName(name);
            writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
        }
    }

    // [{type, status, reason, message, last_transition_time}], the API's values copied as they are;
    // nothing when the node has no conditions.
    private static void WriteConditions(Utf8JsonWriter writer, JsonElement conditions)
    {
        var items = Items(conditions, JsonValueKind.Object);
        if (!items.Any())
        {
            return;
        }

        writer.WriteStartArray();
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
            writer.WriteStartArray();
            foreach (var cidr in cidrs)
            {
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(cidr), skipInputValidation: true);
            }

            writer.WriteEndArray();
        }
        else if (Child(spec, "podCIDR") is { ValueKind: JsonValueKind.String } single)
        {
            writer.WriteStartArray();
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

    /// <summary>
    /// <paramref name="text"/> as UTC to the second ("2025-03-05T10:22:00Z"), or as it is when it is
    /// not a time. The API server writes creationTimestamp in exactly that form, which parsing and
    /// formatting would give back unchanged (and a text of that shape that is not a valid time is
    /// kept as it is too), so such a text skips both: a cold 5,000-node snapshot parsed and
    /// formatted 5,000 times for nothing.
    /// </summary>
    internal static string UtcSecondsText(string text)
    {
        if (IsUtcSecondsShape(text))
        {
            return text;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : text;
    }

    // yyyy-MM-ddTHH:mm:ssZ with digits where digits go; seconds below 60, so a leap second (which
    // parsing may move) still takes the parse.
    private static bool IsUtcSecondsShape(string text)
    {
        if (text.Length != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z' || text[17] > '5')
        {
            return false;
        }

        foreach (var digit in (ReadOnlySpan<int>)[0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18])
        {
            if (!char.IsAsciiDigit(text[digit]))
            {
                return false;
            }
        }

        return true;
    }
}
