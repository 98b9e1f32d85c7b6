using System.Text.Json;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// What the node transformer uses of a node event, read in one pass over its bytes by
/// <see cref="NodeFieldsReader"/>: strings where the vertex keeps a string, and where a list or map
/// is kept as JSON text, the place of that text in the event (<see cref="RawJson"/>). A field that
/// is absent or of another kind than expected is null or not present, as a lookup in the parsed
/// node gives it. One instance per thread, overwritten by each read (<see cref="NodeFieldsReader"/>).
/// </summary>
internal sealed class NodeFields
{
    // The event around the node.
    public string? ClusterName { get; set; }
    public bool HasClusterName { get; set; }
    public bool HasNode { get; set; }
    public bool Deleted { get; set; }

    // metadata
    public string? CreationTimestamp { get; set; }
    public string? Name { get; set; }
    public string? Uid { get; set; }
    public string? ResourceVersion { get; set; }
    public RawJson Labels { get; set; }
    public RawJson Annotations { get; set; }

    /// <summary>The roles the labels name, in label order, repeats included.</summary>
    public List<string> Roles { get; } = [];

    public string? Zone { get; set; }
    public string? BetaZone { get; set; }
    public string? Region { get; set; }
    public string? BetaRegion { get; set; }

    // spec
    public string? ProviderId { get; set; }
    public string? ExternalId { get; set; }
    public bool? Unschedulable { get; set; }
    public RawJson Taints { get; set; }

    /// <summary>The objects of <c>spec.taints</c>, in order.</summary>
    public List<NodeTaint> TaintItems { get; } = [];

    /// <summary>The strings of <c>spec.podCIDRs</c>, each with its quotes.</summary>
    public List<RawJson> PodCidrs { get; } = [];

    public RawJson PodCidr { get; set; }

    // status
    public RawJson Addresses { get; set; }

    /// <summary>Of each address type, the first non-empty address.</summary>
    public string?[] FirstAddresses { get; } = new string?[(int)AddressType.Count];

    /// <summary>The objects of <c>status.conditions</c>, in order.</summary>
    public List<NodeCondition> Conditions { get; } = [];

    public RawJson NodeInfo { get; set; }
    public string? SystemUuid { get; set; }
    public RawJson Capacity { get; set; }
    public RawJson Allocatable { get; set; }

    public string? Address(AddressType type) => FirstAddresses[(int)type];

    /// <summary>Forgets everything the last read gave, before the next.</summary>
    public void Reset()
    {
        ClusterName = null;
        HasClusterName = Deleted = false;
        ResetNode();
    }

    public void ResetNode()
    {
        HasNode = false;
        ResetMetadata();
        ResetSpec();
        ResetStatus();
    }

    public void ResetMetadata()
    {
        CreationTimestamp = Name = Uid = ResourceVersion = null;
        Annotations = default;
        ResetLabels();
    }

    public void ResetLabels()
    {
        Labels = default;
        Roles.Clear();
        Zone = BetaZone = Region = BetaRegion = null;
    }

    public void ResetSpec()
    {
        ProviderId = ExternalId = null;
        Unschedulable = null;
        Taints = default;
        TaintItems.Clear();
        PodCidrs.Clear();
        PodCidr = default;
    }

    public void ResetStatus()
    {
        Addresses = default;
        Array.Clear(FirstAddresses);
        Conditions.Clear();
        NodeInfo = Capacity = Allocatable = default;
        SystemUuid = null;
    }
}

/// <summary>The address types a node's properties name (<c>status.addresses[].type</c>).</summary>
internal enum AddressType
{
    InternalIp,
    ExternalIp,
    Hostname,
    InternalDns,
    ExternalDns,
    Count,
}

/// <summary>
/// Where a JSON value is in the bytes it was read from: its text as it came (a string with its
/// quotes) and its first token. The default is "absent".
/// </summary>
internal readonly record struct RawJson(int Start, int Length, JsonTokenType Token)
{
    public bool IsPresent => Length > 0;

    public ReadOnlySpan<byte> In(ReadOnlySpan<byte> json) => json.Slice(Start, Length);

    /// <summary>The string this value is (unescaped), or null when it is absent or no string.</summary>
    public string? Text(ReadOnlySpan<byte> json)
    {
        if (Token != JsonTokenType.String)
        {
            return null;
        }

        var reader = new Utf8JsonReader(In(json));
        reader.Read();
        return reader.GetString();
    }
}

/// <summary>One object of <c>status.conditions</c>: its type and status as strings, every field as its text.</summary>
internal readonly record struct NodeCondition(
    string? Type, string? Status, RawJson RawType, RawJson RawStatus, RawJson Reason, RawJson Message, RawJson LastTransitionTime);

/// <summary>One object of <c>spec.taints</c>: its string fields.</summary>
internal readonly record struct NodeTaint(string? Key, string? Effect, string? Value, string? TimeAdded);
