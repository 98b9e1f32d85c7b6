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

    // Reads the value of a member the reader knows (the reader on its name; false for a name it
    // does not know, whose value the caller skips).
    private delegate bool MemberReader(ref Utf8JsonReader reader, NodeFields fields);

    // Reads an item of an array (the reader on its first token).
    private delegate void ItemReader(ref Utf8JsonReader reader, NodeFields fields);

    /// <summary>The fields of the event in <paramref name="utf8"/>; valid until this thread's next read.</summary>
    /// <exception cref="JsonException">The bytes are not one valid JSON value.</exception>
    /// <exception cref="InvalidDataException">The event is no object, or its cluster_name is neither a string nor null.</exception>
    public static NodeFields Read(ReadOnlySpan<byte> utf8)
    {
        var fields = t_fields ??= new NodeFields();
        fields.Reset();

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidDataException("a node event is not a JSON object");
        }

        ReadObject(ref reader, fields, EventMember);

        // On the event's end: the reader throws if anything but white space follows.
        if (reader.Read())
        {
            throw new JsonException("a node event has more than one JSON value");
        }

        return fields;
    }

    private static bool EventMember(ref Utf8JsonReader reader, NodeFields fields)
    {
        if (reader.ValueTextEquals("node"u8))
        {
            fields.ResetNode();
            fields.HasNode = true;
            ReadObject(ref reader, fields, NodeMember);
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
            return false;
        }

        return true;
    }

    // A repeated metadata, spec or status replaces the earlier one: each is reset before it is read.
    private static bool NodeMember(ref Utf8JsonReader reader, NodeFields fields)
    {
        if (reader.ValueTextEquals("metadata"u8))
        {
            fields.ResetMetadata();
            ReadObject(ref reader, fields, MetadataMember);
        }
        else if (reader.ValueTextEquals("spec"u8))
        {
            fields.ResetSpec();
            ReadObject(ref reader, fields, SpecMember);
        }
        else if (reader.ValueTextEquals("status"u8))
        {
            fields.ResetStatus();
            ReadObject(ref reader, fields, StatusMember);
        }
        else
        {
            return false;
        }

        return true;
    }

    private static bool MetadataMember(ref Utf8JsonReader reader, NodeFields fields)
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
            fields.ResetLabels();
            fields.Labels = ReadObject(ref reader, fields, LabelMember);
        }
        else if (reader.ValueTextEquals("annotations"u8))
        {
            fields.Annotations = Raw(ref reader, JsonTokenType.StartObject);
        }
        else
        {
            return false;
        }

        return true;
    }

    // Every label is the reader's: a name that is no role is skipped here. Names are compared as
    // the raw bytes the node holds, and a string is made only for a role (a node has dozens of
    // labels and one or two roles); a name written with escapes is read as text.
    private static bool LabelMember(ref Utf8JsonReader reader, NodeFields fields)
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

        return true;
    }

    private static bool SpecMember(ref Utf8JsonReader reader, NodeFields fields)
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
            fields.TaintItems.Clear();
            fields.Taints = ReadArray(ref reader, fields, JsonTokenType.StartObject, ReadTaint);
        }
        else if (reader.ValueTextEquals("podCIDRs"u8))
        {
            fields.PodCidrs.Clear();
            ReadArray(ref reader, fields, JsonTokenType.String,
                static (ref Utf8JsonReader reader, NodeFields fields) => fields.PodCidrs.Add(Since(ref reader, (int)reader.TokenStartIndex, JsonTokenType.String)));
        }
        else if (reader.ValueTextEquals("podCIDR"u8))
        {
            fields.PodCidr = Raw(ref reader, JsonTokenType.String);
        }
        else
        {
            return false;
        }

        return true;
    }

    private static void ReadTaint(ref Utf8JsonReader reader, NodeFields fields)
    {
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

    private static bool StatusMember(ref Utf8JsonReader reader, NodeFields fields)
    {
        if (reader.ValueTextEquals("addresses"u8))
        {
            Array.Clear(fields.FirstAddresses);
            fields.Addresses = ReadArray(ref reader, fields, JsonTokenType.StartObject, ReadAddress);
        }
        else if (reader.ValueTextEquals("conditions"u8))
        {
            fields.Conditions.Clear();
            ReadArray(ref reader, fields, JsonTokenType.StartObject, ReadCondition);
        }
        else if (reader.ValueTextEquals("nodeInfo"u8))
        {
            fields.SystemUuid = null;
            fields.NodeInfo = ReadObject(ref reader, fields, static (ref Utf8JsonReader reader, NodeFields fields) =>
            {
                var isUuid = reader.ValueTextEquals("systemUUID"u8);
                if (isUuid)
                {
                    fields.SystemUuid = Text(ref reader);
                }

                return isUuid;
            });
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
            return false;
        }

        return true;
    }

    // The first non-empty address of each type is kept.
    private static void ReadAddress(ref Utf8JsonReader reader, NodeFields fields)
    {
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

    private static AddressType? TypeOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("InternalIP"u8) ? AddressType.InternalIp
        : reader.ValueTextEquals("Hostname"u8) ? AddressType.Hostname
        : reader.ValueTextEquals("ExternalIP"u8) ? AddressType.ExternalIp
        : reader.ValueTextEquals("InternalDNS"u8) ? AddressType.InternalDns
        : reader.ValueTextEquals("ExternalDNS"u8) ? AddressType.ExternalDns
        : null;

    private static void ReadCondition(ref Utf8JsonReader reader, NodeFields fields)
    {
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

    // On a member's name (or an object's start): reads the object's members with readMember and
    // gives where the object is; when the value is no object, skips it and gives "absent".
    private static RawJson ReadObject(ref Utf8JsonReader reader, NodeFields fields, MemberReader readMember)
    {
        if (!Enter(ref reader, JsonTokenType.StartObject))
        {
            return default;
        }

        var start = (int)reader.TokenStartIndex;
        while (NextMember(ref reader))
        {
            if (!readMember(ref reader, fields))
            {
                SkipValue(ref reader);
            }
        }

        return Since(ref reader, start, JsonTokenType.StartObject);
    }

    // On a member's name: reads each item that starts with itemStart with readItem (others are
    // skipped) and gives where the array is; when the value is no array, skips it and gives "absent".
    private static RawJson ReadArray(ref Utf8JsonReader reader, NodeFields fields, JsonTokenType itemStart, ItemReader readItem)
    {
        if (!Enter(ref reader, JsonTokenType.StartArray))
        {
            return default;
        }

        var start = (int)reader.TokenStartIndex;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == itemStart)
            {
                readItem(ref reader, fields);
            }
            else
            {
                reader.Skip();
            }
        }

        return Since(ref reader, start, JsonTokenType.StartArray);
    }

    // Inside an object: moves to the next member's name; false on the object's end.
    private static bool NextMember(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    // On a member's name (or a value): moves to the value. True when it starts with start (the
    // caller reads it up to its end); otherwise the value is skipped.
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
