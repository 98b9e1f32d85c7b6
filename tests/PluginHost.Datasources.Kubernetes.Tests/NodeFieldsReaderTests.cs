using System.Text;
using System.Text.Json;
using PluginHost.KubeApiSimulator;
using static PluginHost.Datasources.Kubernetes.Tests.ParsedNodeLookups;

namespace PluginHost.Datasources.Kubernetes.Tests;

/// <summary>
/// The node transformer's one-pass reader must read a node as lookups in its parsed document read
/// it (what the transformer did before, and what NodeHeader agrees with): the last of repeated
/// names, names compared unescaped, members of another kind absent. The reference here is those
/// lookups, written out; the input is simulator nodes with members repeated, removed, retyped,
/// renamed to a field the reader knows and written with escapes, from fixed seeds.
/// </summary>
public sealed class NodeFieldsReaderTests
{
    public static TheoryData<string, int, int> Seeds => new()
    {
        { "OpenStack nodes", 1, (int)ProviderMode.OpenStack },
        { "nodes without a cloud", 2, (int)ProviderMode.None },
        { "OpenStack nodes, another seed", 3, (int)ProviderMode.OpenStack },
    };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Read_MutatedSimulatorNodes_ReadsWhatLookupsInTheParsedNodeGive(string name, int seed, int provider)
    {
        var random = new Random(seed);
        var nodes = NodeGenerator.Generate(new SimulatorOptions { NodeCount = 20, Provider = (ProviderMode)provider })
            .Select(n => MutableJson.From(JsonDocument.Parse(n.ToJsonString()).RootElement)).ToList();
        for (var i = 0; i < 1_000; i++)
        {
            var node = MutableJson.Clone(nodes[random.Next(nodes.Count)]);
            for (var m = random.Next(0, 8); m > 0; m--)
            {
                MutableJson.Mutate(node, random);
            }

            var text = new StringBuilder("""{"cluster_name":"c","node":""");
            MutableJson.Write(node, text, random);
            var json = Encoding.UTF8.GetBytes(text.Append('}').ToString());

            string expected;
            try
            {
                using var document = JsonDocument.Parse(json);
                expected = Reference(document.RootElement.GetProperty("node"));
            }
            catch (InvalidOperationException)
            {
                continue; // a string the document cannot decode either: the transform fails both ways
            }

            Describe(NodeFieldsReader.Read(json), json).ShouldBe(expected, $"{name}, case {i}: {Encoding.UTF8.GetString(json)}");
        }
    }

    // What the transformer's document-based version read, by lookups in the parsed node.
    private static string Reference(JsonElement node)
    {
        var metadata = Child(node, "metadata");
        var spec = Child(node, "spec");
        var status = Child(node, "status");
        var labels = Child(metadata, "labels");
        var roles = new List<string>();
        if (labels.ValueKind == JsonValueKind.Object)
        {
            foreach (var label in labels.EnumerateObject())
            {
                if (label.NameEquals("kubernetes.io/role"))
                {
                    if (label.Value.ValueKind == JsonValueKind.String && label.Value.GetString() is { Length: > 0 } legacy)
                    {
                        roles.Add(legacy);
                    }
                }
                else if (label.Name.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal) && label.Name.Length > "node-role.kubernetes.io/".Length)
                {
                    roles.Add(label.Name["node-role.kubernetes.io/".Length..]);
                }
            }
        }

        var addresses = Child(status, "addresses");
        string? First(string type) => addresses.ValueKind != JsonValueKind.Array ? null
            : addresses.EnumerateArray().Where(a => Child(a, "type") is { ValueKind: JsonValueKind.String } t && t.ValueEquals(type))
                .Select(a => Text(a, "address")).FirstOrDefault(a => a is { Length: > 0 });
        var nodeInfo = Child(status, "nodeInfo");
        return string.Join('\n',
        [
            $"uid={Text(metadata, "uid")} name={Text(metadata, "name")} rv={Text(metadata, "resourceVersion")} created={Text(metadata, "creationTimestamp")}",
            $"labels={Raw(labels, JsonValueKind.Object)} roles={string.Join(',', roles)}",
            $"zones={Text(labels, "topology.kubernetes.io/zone")},{Text(labels, "failure-domain.beta.kubernetes.io/zone")}",
            $"regions={Text(labels, "topology.kubernetes.io/region")},{Text(labels, "failure-domain.beta.kubernetes.io/region")}",
            $"annotations={Raw(Child(metadata, "annotations"), JsonValueKind.Object)}",
            $"provider={Text(spec, "providerID")} external={Text(spec, "externalID")} unschedulable={Child(spec, "unschedulable") switch { { ValueKind: JsonValueKind.True } => "True", { ValueKind: JsonValueKind.False } => "False", _ => "" }}",
            $"taints={Raw(Child(spec, "taints"), JsonValueKind.Array)} " + string.Join(';', Items(Child(spec, "taints"))
                .Select(t => $"{Text(t, "key")}|{Text(t, "effect")}|{Text(t, "value")}|{Text(t, "timeAdded")}")),
            "cidrs=" + string.Join(',', Items(Child(spec, "podCIDRs"), JsonValueKind.String).Select(c => c.GetRawText())) + $" cidr={Raw(Child(spec, "podCIDR"), JsonValueKind.String)}",
            $"addresses={Raw(addresses, JsonValueKind.Array)} {First("InternalIP")},{First("ExternalIP")},{First("Hostname")},{First("InternalDNS")},{First("ExternalDNS")}",
            "conditions=" + string.Join(';', Items(Child(status, "conditions")).Select(c =>
                $"{Text(c, "type")}|{Text(c, "status")}|{Raw(Child(c, "type"), JsonValueKind.String)}|{Raw(Child(c, "status"), JsonValueKind.String)}|" +
                $"{Raw(Child(c, "reason"), JsonValueKind.String)}|{Raw(Child(c, "message"), JsonValueKind.String)}|{Raw(Child(c, "lastTransitionTime"), JsonValueKind.String)}")),
            $"nodeInfo={Raw(nodeInfo, JsonValueKind.Object)} uuid={Text(nodeInfo, "systemUUID")}",
            $"capacity={Raw(Child(status, "capacity"), JsonValueKind.Object)} allocatable={Raw(Child(status, "allocatable"), JsonValueKind.Object)}",
        ]);
    }

    private static string Describe(NodeFields f, byte[] json)
    {
        string Raw(RawJson raw) => raw.IsPresent ? Encoding.UTF8.GetString(raw.In(json)) : string.Empty;
        string? Address(AddressType type) => f.Address(type);
        return string.Join('\n',
        [
            $"uid={f.Uid} name={f.Name} rv={f.ResourceVersion} created={f.CreationTimestamp}",
            $"labels={Raw(f.Labels)} roles={string.Join(',', f.Roles)}",
            $"zones={f.Zone},{f.BetaZone}",
            $"regions={f.Region},{f.BetaRegion}",
            $"annotations={Raw(f.Annotations)}",
            $"provider={f.ProviderId} external={f.ExternalId} unschedulable={f.Unschedulable}",
            $"taints={Raw(f.Taints)} " + string.Join(';', f.TaintItems.Select(t => $"{t.Key}|{t.Effect}|{t.Value}|{t.TimeAdded}")),
            "cidrs=" + string.Join(',', f.PodCidrs.Select(Raw)) + $" cidr={Raw(f.PodCidr)}",
            $"addresses={Raw(f.Addresses)} {Address(AddressType.InternalIp)},{Address(AddressType.ExternalIp)},{Address(AddressType.Hostname)},{Address(AddressType.InternalDns)},{Address(AddressType.ExternalDns)}",
            "conditions=" + string.Join(';', f.Conditions.Select(c =>
                $"{c.Type}|{c.Status}|{Raw(c.RawType)}|{Raw(c.RawStatus)}|{Raw(c.Reason)}|{Raw(c.Message)}|{Raw(c.LastTransitionTime)}")),
            $"nodeInfo={Raw(f.NodeInfo)} uuid={f.SystemUuid}",
            $"capacity={Raw(f.Capacity)} allocatable={Raw(f.Allocatable)}",
        ]);
    }

    private static string Raw(JsonElement element, JsonValueKind kind) => element.ValueKind == kind ? element.GetRawText() : string.Empty;

    private static IEnumerable<JsonElement> Items(JsonElement list, JsonValueKind kind = JsonValueKind.Object) =>
        list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().Where(i => i.ValueKind == kind) : [];
}
