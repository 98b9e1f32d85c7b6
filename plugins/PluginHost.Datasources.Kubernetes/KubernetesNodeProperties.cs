using System.Buffers;
using System.Globalization;
using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// Turns a node's fields (<see cref="NodeFieldsReader"/>) into the vertex properties of DESIGN.md
/// section 5. Absent fields are left out; nothing here throws on a partial node.
/// </summary>
internal static class KubernetesNodeProperties
{
    /// <param name="node">The node's fields, read from <paramref name="json"/>.</param>
    /// <param name="json">The event's bytes, where the node's lists and maps are.</param>
    /// <param name="includeAnnotations">Whether the annotations are a property.</param>
    /// <param name="instanceIdFromSystemUuid">Whether an OpenStack node without providerID takes its systemUUID as its instance id.</param>
    public static Dictionary<string, object?> Read(NodeFields node, ReadOnlySpan<byte> json, bool includeAnnotations, bool instanceIdFromSystemUuid)
    {
        // Sized for a full node's properties (about 25), so it is not grown and copied three times.
        var properties = new Dictionary<string, object?>(28, StringComparer.Ordinal);
        if (node.CreationTimestamp is { } created)
        {
            properties["creation_timestamp"] = UtcSecondsText(created);
        }

        Copy(properties, "name", node.Name);
        Copy(properties, "uid", node.Uid);
        Copy(properties, "resource_version", node.ResourceVersion);

        if (node.Addresses.IsPresent)
        {
            var internalIp = node.Address(AddressType.InternalIp);
            var externalIp = node.Address(AddressType.ExternalIp);
            var hostname = node.Address(AddressType.Hostname);
            Copy(properties, "internal_ip", internalIp);
            Copy(properties, "external_ip", externalIp);
            Copy(properties, "hostname", hostname);

            // The one address to show, in Prometheus' kubernetes_sd order.
            Copy(properties, "ip", internalIp ?? node.Address(AddressType.InternalDns) ?? externalIp ?? node.Address(AddressType.ExternalDns) ?? hostname);
        }

        var providerId = ProviderId.Parse(node.ProviderId);
        Copy(properties, "provider_id", node.ProviderId);
        Copy(properties, "provider", providerId.Provider);
        Copy(properties, "instance_id", InstanceId(providerId, node.ExternalId, node.SystemUuid, instanceIdFromSystemUuid));
        Copy(properties, "external_id", node.ExternalId);

        if (node.Unschedulable is { } unschedulable)
        {
            properties["unschedulable"] = unschedulable;
        }

        if (node.Labels.IsPresent)
        {
            if (node.Roles.Count > 0)
            {
                properties["roles"] = node.Roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            }

            Copy(properties, "zone", node.Zone ?? node.BetaZone);
            Copy(properties, "region", node.Region ?? node.BetaRegion);
        }

        // The map- and list-shaped properties, each the JSON text it is in the event (conditions and
        // pod CIDRs rewritten with this vertex's names): a vertex keeps only these bytes, not the
        // event (whose images and the like would otherwise stay in memory for as long as the vertex).
        // When only some changed the host keeps the held values of the others (equal bytes), so the
        // new copies die young.
        Raw(properties, "addresses", node.Addresses, json);
        Written(properties, "conditions", node, json, WriteConditions);
        Raw(properties, "taints", node.Taints, json);
        Raw(properties, "labels", node.Labels, json);
        if (includeAnnotations)
        {
            Raw(properties, "annotations", node.Annotations, json);
        }

        Raw(properties, "node_info", node.NodeInfo, json);
        Raw(properties, "capacity", node.Capacity, json);
        Raw(properties, "allocatable", node.Allocatable, json);
        Written(properties, "pod_cidrs", node, json, WritePodCidrs);
        return properties;
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private delegate void NodeWriter(Utf8JsonWriter writer, NodeFields node, ReadOnlySpan<byte> json);

    // The value's own bytes, when present (the reader found it of the kind the property is).
    private static void Raw(Dictionary<string, object?> properties, string name, RawJson value, ReadOnlySpan<byte> json)
    {
        if (value.IsPresent)
        {
            properties[name] = Utf8JsonValue.Parse(value.In(json));
        }
    }

    // What write made of the node in the thread's buffer, when it wrote anything.
    private static void Written(Dictionary<string, object?> properties, string name, NodeFields node, ReadOnlySpan<byte> json, NodeWriter write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        write(writer, node, json);
        writer.Flush();
        if (buffer.WrittenCount > 0)
        {
            properties[name] = Utf8JsonValue.Parse(buffer.WrittenSpan);
        }
    }

    private static void WriteRaw(Utf8JsonWriter writer, string name, RawJson value, ReadOnlySpan<byte> json)
    {
        if (value.IsPresent)
        {
            writer.WritePropertyName(name);
            writer.WriteRawValue(value.In(json), skipInputValidation: true);
        }
    }

    // [{type, status, reason, message, last_transition_time}], the API's values copied as they are;
    // nothing when the node has no conditions.
    private static void WriteConditions(Utf8JsonWriter writer, NodeFields node, ReadOnlySpan<byte> json)
    {
        if (node.Conditions.Count == 0)
        {
            return;
        }

        writer.WriteStartArray();
        foreach (var condition in node.Conditions)
        {
            writer.WriteStartObject();
            WriteRaw(writer, "type", condition.RawType, json);
            WriteRaw(writer, "status", condition.RawStatus, json);
            WriteRaw(writer, "reason", condition.Reason, json);
            WriteRaw(writer, "message", condition.Message, json);
            WriteRaw(writer, "last_transition_time", condition.LastTransitionTime, json);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WritePodCidrs(Utf8JsonWriter writer, NodeFields node, ReadOnlySpan<byte> json)
    {
        if (node.PodCidrs.Count > 0)
        {
            writer.WriteStartArray();
            foreach (var cidr in node.PodCidrs)
            {
                writer.WriteRawValue(cidr.In(json), skipInputValidation: true);
            }

            writer.WriteEndArray();
        }
        else if (node.PodCidr.IsPresent)
        {
            writer.WriteStartArray();
            writer.WriteRawValue(node.PodCidr.In(json), skipInputValidation: true);
            writer.WriteEndArray();
        }
    }

    /// <summary><c>Ready</c>, <c>NotReady</c> or <c>Unknown</c>, from the Ready condition.</summary>
    public static string State(NodeFields node)
    {
        foreach (var condition in node.Conditions)
        {
            if (condition.Type == "Ready")
            {
                return condition.Status switch
                {
                    "True" => "Ready",
                    "False" => "NotReady",
                    _ => "Unknown",
                };
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
