using System.Text.Json;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// Reads a node event (<c>{"cluster_name": …, "watch_event_type": …, "node": {…}}</c>) into
/// <see cref="NodeFields"/> in one pass of <see cref="Utf8JsonReader"/>, which also checks that the
/// bytes are one valid JSON value. It replaced a <see cref="JsonDocument"/> of each node and about
/// forty lookups in it, three fifths of a node's transform (bench/README.md, "one pass").
/// </summary>
/// <remarks>
/// It reads as a lookup in the parsed node does: where a name occurs twice in an object the last
/// one counts (a repeated <c>metadata</c> replaces all the earlier one gave), names are compared
/// unescaped, and a member of another kind than expected is absent. Strings are decoded as
/// <see cref="JsonElement.GetString"/> decodes them (and throw as it does on a lone surrogate).
/// </remarks>
internal static class NodeFieldsReader
{
    private static ReadOnlySpan<byte> RoleLabelPrefix => "node-role.kubernetes.io/"u8;
    private const string RoleLabelPrefixText = "node-role.kubernetes.io/";

    [ThreadStatic]
    private static NodeFields? t_fields;

    /// <summary>The fields of the event in <paramref name="utf8"/>; valid until this thread's next read.</summary>
    /// <exception cref="JsonException">The bytes are not one valid JSON value.</exception>
    /// <exception cref="InvalidDataException">The event is no object, or its cluster_name is neither a string nor null.</exception>
    public static NodeFields Read(ReadOnlySpan<byte> utf8)
    {
        var fields = t_fields ??= new NodeFields();
        fields.ClusterName = null;
        fields.HasClusterName = fields.Deleted = false;
        fields.ResetNode();

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidDataException("a node event is not a JSON object");
        }

        while (NextMember(ref reader))
        {
            if (reader.ValueTextEquals("node"u8))
            {
                ReadNode(ref reader, fields);
            }
            else if (reader.ValueTextEquals("cluster_name"u8))
            {
                reader.Read();
                fields.HasClusterName = true;
                fields.ClusterName = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Null => null,
                    _ => throw new InvalidDataException("a node event's cluster_name is not a string"),
                };
            }
            else if (reader.ValueTextEquals("watch_event_type"u8))
            {
                reader.Read();
                fields.Deleted = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("DELETED"u8);
                reader.Skip();
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        // On the event's end: the reader throws if anything but white space follows.
        if (reader.Read())
        {
            throw new JsonException("a node event has more than one JSON value");
        }

        return fields;
    }

    private static void ReadNode(ref Utf8JsonReader reader, NodeFields fields)
    {
        fields.ResetNode();
        fields.HasNode = true;
        if (!EnterObject(ref reader))
        {
            return;
        }

        while (NextMember(ref reader))
        {
            if (reader.ValueTextEquals("metadata"u8))
            {
                ReadMetadata(ref reader, fields);
            }
            else if (reader.ValueTextEquals("spec"u8))
            {
                ReadSpec(ref reader, fields);
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                ReadStatus(ref reader, fields);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    private static void ReadMetadata(ref Utf8JsonReader reader, NodeFields fields)
    {
        fields.ResetMetadata();
        if (!EnterObject(ref reader))
        {
            return;
        }

        while (NextMember(ref reader))
        {
            if (reader.ValueTextEquals("name"u8))
            {
                fields.Name = Text(ref reader);
            }
            else if (reader.ValueTextEquals("uid"u8))
            {
                fields.Uid = Text(ref reader);
            }
            else if (reader.ValueTextEquals("resourceVersion"u8))
            {
                fields.ResourceVersion = Text(ref reader);
            }
            else if (reader.ValueTextEquals("creationTimestamp"u8))
            {
                fields.CreationTimestamp = Text(ref reader);
            }
            else if (reader.ValueTextEquals("labels"u8))
            {
                ReadLabels(ref reader, fields);
            }
            else if (reader.ValueTextEquals("annotations"u8))
            {
                fields.Annotations = Raw(ref reader, JsonTokenType.StartObject);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    // Label names are compared as the raw bytes the node holds: a string is made only for a role
    // (a node has dozens of labels and one or two roles). A name written with escapes is read as text.
    private static void ReadLabels(ref Utf8JsonReader reader, NodeFields fields)
    {
        fields.ResetLabels();
        if (!EnterObject(ref reader))
        {
            return;
        }

        var start = (int)reader.TokenStartIndex;
        while (NextMember(ref reader))
        {
            if (reader.ValueTextEquals("kubernetes.io/role"u8))
            {
                if (Text(ref reader) is { Length: > 0 } legacyRole)
                {
                    fields.Roles.Add(legacyRole);
                }
            }
            else if (reader.ValueTextEquals("topology.kubernetes.io/zone"u8))
            {
                fields.Zone = Text(ref reader);
            }
            else if (reader.ValueTextEquals("failure-domain.beta.kubernetes.io/zone"u8))
            {
                fields.BetaZone = Text(ref reader);
            }
            else if (reader.ValueTextEquals("topology.kubernetes.io/region"u8))
            {
                fields.Region = Text(ref reader);
            }
            else if (reader.ValueTextEquals("failure-domain.beta.kubernetes.io/region"u8))
            {
                fields.BetaRegion = Text(ref reader);
            }
            else
            {
                if ((reader.ValueIsEscaped || reader.ValueSpan.StartsWith(RoleLabelPrefix))
                    && reader.GetString() is { } name
                    && name.Length > RoleLabelPrefixText.Length && name.StartsWith(RoleLabelPrefixText, StringComparison.Ordinal))
                {
                    fields.Roles.Add(name[RoleLabelPrefixText.Length..]);
                }

                SkipValue(ref reader);
            }
        }

        fields.Labels = Since(ref reader, start, JsonTokenType.StartObject);
    }

    private static void ReadSpec(ref Utf8JsonReader reader, NodeFields fields)
    {
        fields.ResetSpec();
        if (!EnterObject(ref reader))
        {
            return;
        }

        while (NextMember(ref reader))
        {
            if (reader.ValueTextEquals("providerID"u8))
            {
                fields.ProviderId = Text(ref reader);
            }
            else if (reader.ValueTextEquals("externalID"u8))
            {
                fields.ExternalId = Text(ref reader);
            }
            else if (reader.ValueTextEquals("unschedulable"u8))
            {
                reader.Read();
                fields.Unschedulable = reader.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    _ => null,
                };
                reader.Skip();
            }
            else if (reader.ValueTextEquals("taints"u8))
            {
                ReadTaints(ref reader, fields);
            }
            else if (reader.ValueTextEquals("podCIDRs"u8))
            {
                fields.PodCidrs.Clear();
                if (EnterArray(ref reader))
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            fields.PodCidrs.Add(Since(ref reader, (int)reader.TokenStartIndex, JsonTokenType.String));
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
            }
            else if (reader.ValueTextEquals("podCIDR"u8))
            {
                fields.PodCidr = Raw(ref reader, JsonTokenType.String);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    private static void ReadTaints(ref Utf8JsonReader reader, NodeFields fields)
    {
        fields.Taints = default;
        fields.TaintItems.Clear();
        if (!EnterArray(ref reader))
        {
            return;
        }

        var start = (int)reader.TokenStartIndex;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string? key = null, effect = null, value = null, timeAdded = null;
            while (NextMember(ref reader))
            {
                if (reader.ValueTextEquals("key"u8))
                {
                    key = Text(ref reader);
                }
                else if (reader.ValueTextEquals("effect"u8))
                {
                    effect = Text(ref reader);
                }
                else if (reader.ValueTextEquals("value"u8))
                {
                    value = Text(ref reader);
                }
                else if (reader.ValueTextEquals("timeAdded"u8))
                {
                    timeAdded = Text(ref reader);
                }
                else
                {
                    SkipValue(ref reader);
                }
            }

            fields.TaintItems.Add(new NodeTaint(key, effect, value, timeAdded));
        }

        fields.Taints = Since(ref reader, start, JsonTokenType.StartArray);
    }

    private static void ReadStatus(ref Utf8JsonReader reader, NodeFields fields)
    {
        fields.ResetStatus();
        if (!EnterObject(ref reader))
        {
            return;
        }

        while (NextMember(ref reader))
        {
            if (reader.ValueTextEquals("addresses"u8))
            {
                ReadAddresses(ref reader, fields);
            }
            else if (reader.ValueTextEquals("conditions"u8))
            {
                ReadConditions(ref reader, fields);
            }
            else if (reader.ValueTextEquals("nodeInfo"u8))
            {
                ReadNodeInfo(ref reader, fields);
            }
            else if (reader.ValueTextEquals("capacity"u8))
            {
                fields.Capacity = Raw(ref reader, JsonTokenType.StartObject);
            }
            else if (reader.ValueTextEquals("allocatable"u8))
            {
                fields.Allocatable = Raw(ref reader, JsonTokenType.StartObject);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    private static void ReadAddresses(ref Utf8JsonReader reader, NodeFields fields)
    {
        fields.Addresses = default;
        Array.Clear(fields.FirstAddresses);
        if (!EnterArray(ref reader))
        {
            return;
        }

        var start = (int)reader.TokenStartIndex;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            AddressType? type = null;
            string? address = null;
            while (NextMember(ref reader))
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    type = reader.TokenType == JsonTokenType.String ? TypeOf(ref reader) : null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("address"u8))
                {
                    address = Text(ref reader);
                }
                else
                {
                    SkipValue(ref reader);
                }
            }

            if (type is { } known && address is { Length: > 0 })
            {
                fields.FirstAddresses[(int)known] ??= address;
            }
        }

        fields.Addresses = Since(ref reader, start, JsonTokenType.StartArray);
    }

    private static AddressType? TypeOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("InternalIP"u8) ? AddressType.InternalIp
        : reader.ValueTextEquals("Hostname"u8) ? AddressType.Hostname
        : reader.ValueTextEquals("ExternalIP"u8) ? AddressType.ExternalIp
        : reader.ValueTextEquals("InternalDNS"u8) ? AddressType.InternalDns
        : reader.ValueTextEquals("ExternalDNS"u8) ? AddressType.ExternalDns
        : null;

    private static void ReadConditions(ref Utf8JsonReader reader, NodeFields fields)
    {
        fields.Conditions.Clear();
        if (!EnterArray(ref reader))
        {
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string? type = null, status = null;
            RawJson rawType = default, rawStatus = default, reason = default, message = default, lastTransitionTime = default;
            while (NextMember(ref reader))
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    (type, rawType) = TextAndRaw(ref reader);
                }
                else if (reader.ValueTextEquals("status"u8))
                {
                    (status, rawStatus) = TextAndRaw(ref reader);
                }
                else if (reader.ValueTextEquals("reason"u8))
                {
                    reason = Raw(ref reader, JsonTokenType.String);
                }
                else if (reader.ValueTextEquals("message"u8))
                {
                    message = Raw(ref reader, JsonTokenType.String);
                }
                else if (reader.ValueTextEquals("lastTransitionTime"u8))
                {
                    lastTransitionTime = Raw(ref reader, JsonTokenType.String);
                }
                else
                {
                    SkipValue(ref reader);
                }
            }

            fields.Conditions.Add(new NodeCondition(type, status, rawType, rawStatus, reason, message, lastTransitionTime));
        }
    }

    private static void ReadNodeInfo(ref Utf8JsonReader reader, NodeFields fields)
    {
        fields.NodeInfo = default;
        fields.SystemUuid = null;
        if (!EnterObject(ref reader))
        {
            return;
        }

        var start = (int)reader.TokenStartIndex;
        while (NextMember(ref reader))
        {
            if (reader.ValueTextEquals("systemUUID"u8))
            {
                fields.SystemUuid = Text(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        fields.NodeInfo = Since(ref reader, start, JsonTokenType.StartObject);
    }

    // Inside an object: moves to the next member's name; false on the object's end.
    private static bool NextMember(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    // On a member's name: moves to its value. True when it is an object (the caller reads its
    // members up to its end); otherwise the value is skipped.
    private static bool EnterObject(ref Utf8JsonReader reader) => Enter(ref reader, JsonTokenType.StartObject);

    private static bool EnterArray(ref Utf8JsonReader reader) => Enter(ref reader, JsonTokenType.StartArray);

    private static bool Enter(ref Utf8JsonReader reader, JsonTokenType start)
    {
        if (reader.TokenType == JsonTokenType.PropertyName)
        {
            reader.Read();
        }

        if (reader.TokenType == start)
        {
            return true;
        }

        reader.Skip();
        return false;
    }

    // On a member's name: skips its value.
    private static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    // On a member's name: its value when a string, else null (the value skipped).
    private static string? Text(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private static (string? Text, RawJson Raw) TextAndRaw(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return (reader.GetString(), Since(ref reader, (int)reader.TokenStartIndex, JsonTokenType.String));
        }

        reader.Skip();
        return (null, default);
    }

    // On a member's name: where its value is, when it starts with kind; absent otherwise.
    private static RawJson Raw(ref Utf8JsonReader reader, JsonTokenType kind)
    {
        reader.Read();
        var start = (int)reader.TokenStartIndex;
        var token = reader.TokenType;
        reader.Skip();
        return token == kind ? Since(ref reader, start, token) : default;
    }

    // The value from start to where the reader stands (on its last token).
    private static RawJson Since(ref Utf8JsonReader reader, int start, JsonTokenType token) =>
        new(start, (int)reader.BytesConsumed - start, token);
}
