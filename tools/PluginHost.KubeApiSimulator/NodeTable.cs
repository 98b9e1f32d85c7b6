using System.Globalization;
using System.Text.Json;

namespace PluginHost.KubeApiSimulator;

/// <summary>
/// The <c>meta.k8s.io/v1</c> Table a real apiserver returns when the client asks for it
/// (<c>Accept: application/json;as=Table;...</c>, what <c>kubectl get</c> sends): the node
/// columns kubectl shows, NAME STATUS ROLES AGE VERSION, and with <c>-o wide</c> the addresses,
/// OS image, kernel and container runtime.
/// </summary>
internal static class NodeTable
{
    private const string RolePrefix = "node-role.kubernetes.io/";

    private static readonly (string Name, string Format, int Priority, string Description)[] Columns =
    [
        ("Name", "name", 0, "Name must be unique within a namespace."),
        ("Status", string.Empty, 0, "The status of the node"),
        ("Roles", string.Empty, 0, "The roles of the node"),
        ("Age", string.Empty, 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
        ("Version", string.Empty, 0, "Kubelet Version reported by the node."),
        ("Internal-IP", string.Empty, 1, "List of addresses reachable to the node. Queried from cloud provider, if available."),
        ("External-IP", string.Empty, 1, "List of addresses reachable to the node. Queried from cloud provider, if available."),
        ("OS-Image", string.Empty, 1, "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
        ("Kernel-Version", string.Empty, 1, "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
        ("Container-Runtime", string.Empty, 1, "Container runtime version reported by the node through runtime remote API (e.g. containerd://1.4.2)."),
    ];

    /// <summary>Whether the request asked for a Table rather than a list.</summary>
    public static bool IsRequested(string? accept) =>
        accept is not null && accept.Contains("as=Table", StringComparison.Ordinal);

    public static byte[] Compose(IReadOnlyList<StoredNode> nodes, long resourceVersion, string? continueToken, int remaining, DateTimeOffset now)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", "Table");
            writer.WriteString("apiVersion", "meta.k8s.io/v1");
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", resourceVersion.ToString(CultureInfo.InvariantCulture));
            if (continueToken is not null)
            {
                writer.WriteString("continue", continueToken);
                writer.WriteNumber("remainingItemCount", remaining);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("columnDefinitions");
            foreach (var (name, format, priority, description) in Columns)
            {
                writer.WriteStartObject();
                writer.WriteString("name", name);
                writer.WriteString("type", "string");
                writer.WriteString("format", format);
                writer.WriteString("description", description);
                writer.WriteNumber("priority", priority);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("rows");
            foreach (var node in nodes)
            {
                using var document = JsonDocument.Parse(node.Json);
                WriteRow(writer, document.RootElement, now);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteRow(Utf8JsonWriter writer, JsonElement node, DateTimeOffset now)
    {
        var metadata = Child(node, "metadata");
        var status = Child(node, "status");
        var nodeInfo = Child(status, "nodeInfo");
        writer.WriteStartObject();
        writer.WriteStartArray("cells");
        writer.WriteStringValue(Text(metadata, "name") ?? string.Empty);
        writer.WriteStringValue(State(node));
        writer.WriteStringValue(Roles(Child(metadata, "labels")));
        writer.WriteStringValue(Age(Text(metadata, "creationTimestamp"), now));
        writer.WriteStringValue(Text(nodeInfo, "kubeletVersion") ?? string.Empty);
        writer.WriteStringValue(Address(status, "InternalIP"));
        writer.WriteStringValue(Address(status, "ExternalIP"));
        writer.WriteStringValue(Text(nodeInfo, "osImage") ?? "<unknown>");
        writer.WriteStringValue(Text(nodeInfo, "kernelVersion") ?? "<unknown>");
        writer.WriteStringValue(Text(nodeInfo, "containerRuntimeVersion") ?? "<unknown>");
        writer.WriteEndArray();
        writer.WriteStartObject("object");
        writer.WriteString("kind", "PartialObjectMetadata");
        writer.WriteString("apiVersion", "meta.k8s.io/v1");
        writer.WritePropertyName("metadata");
        metadata.WriteTo(writer);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    // kubectl's node printer: the Ready condition, then SchedulingDisabled for a cordoned node.
    private static string State(JsonElement node)
    {
        var state = "Unknown";
        if (Child(Child(node, "status"), "conditions") is { ValueKind: JsonValueKind.Array } conditions)
        {
            foreach (var condition in conditions.EnumerateArray())
            {
                if (Text(condition, "type") == "Ready")
                {
                    state = Text(condition, "status") switch { "True" => "Ready", "False" => "NotReady", _ => "Unknown" };
                }
            }
        }

        return Child(Child(node, "spec"), "unschedulable") is { ValueKind: JsonValueKind.True } ? state + ",SchedulingDisabled" : state;
    }

    private static string Roles(JsonElement labels)
    {
        if (labels.ValueKind != JsonValueKind.Object)
        {
            return "<none>";
        }

        var roles = labels.EnumerateObject()
            .Select(l => l.Name.StartsWith(RolePrefix, StringComparison.Ordinal) ? l.Name[RolePrefix.Length..]
                : l.Name == "kubernetes.io/role" ? l.Value.GetString() : null)
            .Where(r => !string.IsNullOrEmpty(r)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return roles.Count == 0 ? "<none>" : string.Join(",", roles);
    }

    // kubectl's HumanDuration, enough of it for node ages.
    private static string Age(string? created, DateTimeOffset now)
    {
        if (created is null || !DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return "<unknown>";
        }

        var age = now - time;
        return age.TotalSeconds < 120 ? $"{(int)age.TotalSeconds}s"
            : age.TotalMinutes < 60 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h"
            : age.TotalDays < 730 ? $"{(int)age.TotalDays}d"
            : $"{(int)(age.TotalDays / 365)}y";
    }

    private static string Address(JsonElement status, string type)
    {
        if (Child(status, "addresses") is { ValueKind: JsonValueKind.Array } addresses)
        {
            foreach (var address in addresses.EnumerateArray())
            {
                if (Text(address, "type") == type && Text(address, "address") is { } value)
                {
                    return value;
                }
            }
        }

        return "<none>";
    }

    private static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;

    private static string? Text(JsonElement element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
