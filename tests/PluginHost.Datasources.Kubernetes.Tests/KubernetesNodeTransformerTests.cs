using System.Text.Json;
using PluginHost.Contracts;
using PluginHost.Datasources.Kubernetes.Alarms;
using PluginHost.KubeApiSimulator;

namespace PluginHost.Datasources.Kubernetes.Tests;

public sealed class KubernetesNodeTransformerTests
{
    private readonly KubernetesNodeTransformer _transformer = NodeEvents.Transformer();

    [Fact]
    public void Transform_VitrageSpecNode_GivesTheSpecPropertiesAndEdges()
    {
        var update = _transformer.Transform(NodeEvents.For(VitrageSpecFixture.CreateNode(), cluster: "bcmt"));

        var vertex = update.Vertex;
        vertex.Key.ShouldBe("RESOURCE:kubernetes.node:68011206-d4d6-11e7-9c63-fa163e2e2123");
        vertex.Name.ShouldBe("bcmt-control-01");
        vertex.State.ShouldBe("Ready");
        var p = vertex.Properties;
        p["creation_timestamp"].ShouldBe("2017-11-29T07:24:59Z");
        p["name"].ShouldBe("bcmt-control-01");
        p["uid"].ShouldBe("68011206-d4d6-11e7-9c63-fa163e2e2123");
        p["resource_version"].ShouldBe("10714282");
        Json(p["addresses"]).ShouldBe("""[{"address":"172.16.1.12","type":"InternalIP"},{"address":"10.5.138.49","type":"InternalIP"},{"address":"bcmt-control-01","type":"Hostname"}]""");
        p["internal_ip"].ShouldBe("172.16.1.12");
        p["ip"].ShouldBe("172.16.1.12");
        p["hostname"].ShouldBe("bcmt-control-01");
        p.ShouldNotContainKey("external_ip");
        p["provider"].ShouldBe("openstack");
        p["provider_id"].ShouldBe("openstack:///41c40aab-80e9-4bb6-a280-27976bfc811f");
        p["instance_id"].ShouldBe("41c40aab-80e9-4bb6-a280-27976bfc811f");
        p["external_id"].ShouldBe("41c40aab-80e9-4bb6-a280-27976bfc811f");
        p["zone"].ShouldBe("zone0");
        p["region"].ShouldBe("regionOne");
        Json(p["taints"]).ShouldBe("""[{"effect":"NoExecute","key":"is_control","timeAdded":null,"value":"true"}]""");
        Json(p["capacity"]).ShouldBe("""{"cpu":"2","memory":"3881900Ki","pods":"110"}""");
        Json(p["allocatable"]).ShouldBe("""{"cpu":"2","memory":"3779500Ki","pods":"110"}""");
        Element(p["node_info"]).GetProperty("kubeletVersion").GetString().ShouldBe("v1.7.4");
        Element(p["labels"]).GetProperty("is_control").GetString().ShouldBe("true");
        Json(Element(p["conditions"])[3]).ShouldBe(
            """{"type":"Ready","status":"True","reason":"KubeletReady","message":"kubelet is posting ready status","last_transition_time":"2018-02-14T13:39:53Z"}""");
        Element(p["conditions"]).EnumerateArray().Select(c => c.GetProperty("type").GetString()).ShouldBe(["OutOfDisk", "MemoryPressure", "DiskPressure", "Ready"]);
        p.ShouldNotContainKey("annotations");
        p.Keys.ShouldBe( // the order the API and the files show them in
        [
            "creation_timestamp", "name", "uid", "resource_version", "internal_ip", "hostname", "ip", "provider_id", "provider",
            "instance_id", "external_id", "zone", "region", "addresses", "conditions", "taints", "labels", "node_info",
            "capacity", "allocatable",
        ]);

        update.Neighbors.Select(n => (n.Vertex.Key, n.RelationshipType, n.Direction)).ShouldBe(
        [
            ("RESOURCE:kubernetes:bcmt", EdgeLabels.Comprised, EdgeDirection.ToVertex),
            ("RESOURCE:nova.instance:41c40aab-80e9-4bb6-a280-27976bfc811f", EdgeLabels.Contains, EdgeDirection.ToVertex),
        ]);
        update.Action.ShouldBe(GraphAction.Create);
    }

    public static TheoryData<string, string> PartialNodes => new()
    {
        { "only a name", """{"metadata":{"name":"n1"}}""" },
        { "no status", """{"metadata":{"name":"n1","uid":"u1"},"spec":{"providerID":"aws:///z/i-1"}}""" },
        { "no addresses or conditions", """{"metadata":{"name":"n1","uid":"u1"},"status":{"capacity":{"cpu":"2"}}}""" },
        { "no providerID", """{"metadata":{"name":"n1","uid":"u1","labels":{"a":"b"}},"spec":{},"status":{"addresses":[{"type":"Hostname","address":"n1"}]}}""" },
        { "no labels", """{"metadata":{"name":"n1","uid":"u1"},"spec":{"providerID":"openstack:///x"}}""" },
        { "nulls everywhere", """{"metadata":{"name":"n1","uid":"u1","labels":null},"spec":null,"status":{"addresses":null,"conditions":null}}""" },
        { "odd types", """{"metadata":{"name":"n1","uid":"u1","labels":{"n":1}},"spec":{"taints":"x","podCIDRs":[1]},"status":{"conditions":[1,"a"]}}""" },
    };

    [Theory]
    [MemberData(nameof(PartialNodes))]
    public void Transform_PartialNode_StillGivesAVertex(string name, string json)
    {
        var update = _transformer.Transform(NodeEvents.For(NodeEvents.Parse(json)));

        update.Vertex.Type.ShouldBe(KubernetesEntityTypes.Node, name);
        update.Vertex.Name.ShouldBe("n1", name);
        update.Vertex.State.ShouldBe("Unknown", name);
        update.Neighbors.First().Vertex.Key.ShouldBe("RESOURCE:kubernetes:prod", name);
    }

    [Theory]
    [InlineData("ready", "True", "Ready")]
    [InlineData("not ready", "False", "NotReady")]
    [InlineData("unknown", "Unknown", "Unknown")]
    [InlineData("odd value", "Maybe", "Unknown")]
    public void Transform_ReadyCondition_GivesState(string name, string status, string state)
    {
        var node = NodeEvents.Parse($$$"""{"metadata":{"name":"n1","uid":"u1"},"status":{"conditions":[{"type":"MemoryPressure","status":"True"},{"type":"Ready","status":"{{{status}}}"}]}}""");

        _transformer.Transform(NodeEvents.For(node)).Vertex.State.ShouldBe(state, name);
    }

    public static TheoryData<string, string, bool, string?, string?> InstanceLinks => new()
    {
        { "openstack providerID", """{"providerID":"openstack://RegionOne/vm-1"}""", false, "vm-1", "vm-1" },
        { "aws: instance id but no nova link", """{"providerID":"aws:///us-east-1a/i-1"}""", false, "i-1", null },
        { "legacy externalID uuid without providerID: Vitrage's nova link", """{"externalID":"41c40aab-80e9-4bb6-a280-27976bfc811f"}""", false, "41c40aab-80e9-4bb6-a280-27976bfc811f", "41c40aab-80e9-4bb6-a280-27976bfc811f" },
        { "legacy externalID name: no nova link", """{"externalID":"node-1"}""", false, "node-1", null },
        { "providerID wins over externalID", """{"providerID":"openstack:///vm-2","externalID":"node-1"}""", false, "vm-2", "vm-2" },
        { "openstack providerID without id falls back to externalID", """{"providerID":"openstack://","externalID":"vm-3"}""", false, "vm-3", "vm-3" },
        { "systemUUID only when asked", """{"providerID":"openstack://"}""", false, null, null },
        { "systemUUID when asked, lower-cased", """{"providerID":"openstack://"}""", true, "41c40aab-80e9-4bb6-a280-27976bfc811f", "41c40aab-80e9-4bb6-a280-27976bfc811f" },
        { "systemUUID never for other clouds", """{"providerID":"gce://"}""", true, null, null },
    };

    [Theory]
    [MemberData(nameof(InstanceLinks))]
    public void Transform_InstanceId_FollowsProviderIdThenExternalIdThenSystemUuid(string name, string spec, bool fromSystemUuid, string? instanceId, string? novaLink)
    {
        var node = NodeEvents.Parse("""{"metadata":{"name":"n1","uid":"u1"},"spec":""" + spec + ""","status":{"nodeInfo":{"systemUUID":"41C40AAB-80E9-4BB6-A280-27976BFC811F"}}}""");

        var update = NodeEvents.Transformer(fromSystemUuid: fromSystemUuid).Transform(NodeEvents.For(node));

        update.Vertex.Properties.GetValueOrDefault("instance_id").ShouldBe(instanceId, name);
        update.Neighbors.Where(n => n.Vertex.Type == KnownEntityTypes.NovaInstance).Select(n => n.Vertex.Id).SingleOrDefault().ShouldBe(novaLink, name);
    }

    [Fact]
    public void Transform_RolesZonesAddressesAndCidrs_FollowTheirFallbacks()
    {
        var node = NodeEvents.Parse("""
            {"metadata":{"name":"n1","uid":"u1","labels":{
                "node-role.kubernetes.io/control-plane":"","node-role.kubernetes.io/etcd":"true","kubernetes.io/role":"master",
                "failure-domain.beta.kubernetes.io/zone":"old-zone","topology.kubernetes.io/region":"new-region"}},
             "spec":{"podCIDR":"10.0.0.0/24","unschedulable":true},
             "status":{"addresses":[{"type":"Hostname","address":"n1"},{"type":"ExternalIP","address":"1.2.3.4"},{"type":"InternalDNS","address":"n1.internal"}]}}
            """);

        var p = _transformer.Transform(NodeEvents.For(node)).Vertex.Properties;

        p["roles"].ShouldBe(new[] { "control-plane", "etcd", "master" });
        p["zone"].ShouldBe("old-zone");
        p["region"].ShouldBe("new-region");
        p["ip"].ShouldBe("n1.internal");
        p["external_ip"].ShouldBe("1.2.3.4");
        Json(p["pod_cidrs"]).ShouldBe("""["10.0.0.0/24"]""");
        p["unschedulable"].ShouldBe(true);
    }

    public static TheoryData<string, string, string[]?> RoleLabels => new()
    {
        { "no role labels", """{"kubernetes.io/hostname":"n1","node.kubernetes.io/instance-type":"m1"}""", null },
        { "the prefix alone is no role", """{"node-role.kubernetes.io/":"true"}""", null },
        { "a name written with escapes", """{"node-role.kubernetes.io\/worker":""}""", ["worker"] },
        { "a legacy role label written with escapes", """{"kubernetes.io\/role":"worker"}""", ["worker"] },
        { "a legacy role that is not text", """{"kubernetes.io/role":7}""", null },
        { "an empty legacy role", """{"kubernetes.io/role":""}""", null },
        { "a legacy role beside the same role label", """{"kubernetes.io/role":"worker","node-role.kubernetes.io/worker":""}""", ["worker"] },
        { "a look-alike name", """{"kubernetes.io/roles":"x","xnode-role.kubernetes.io/a":""}""", null },
    };

    [Theory]
    [MemberData(nameof(RoleLabels))]
    public void Transform_RoleLabels_GiveSortedDistinctRolesOrNone(string name, string labels, string[]? roles)
    {
        var node = NodeEvents.Parse($$$"""{"metadata":{"name":"n1","uid":"u1","labels":{{{labels}}}}}""");

        var p = _transformer.Transform(NodeEvents.For(node)).Vertex.Properties;

        p.GetValueOrDefault("roles").ShouldBe(roles, name);
    }

    [Fact]
    public void Transform_DualStackNode_TakesPodCidrsBeforePodCidr()
    {
        var node = NodeEvents.Parse("""{"metadata":{"name":"n1","uid":"u1"},"spec":{"podCIDR":"10.0.0.0/24","podCIDRs":["10.0.0.0/24","fd00::/64"]}}""");

        Json(_transformer.Transform(NodeEvents.For(node)).Vertex.Properties["pod_cidrs"]).ShouldBe("""["10.0.0.0/24","fd00::/64"]""");
    }

    [Fact]
    public void Transform_IncludeAnnotations_CopiesThemOnlyWhenAsked()
    {
        var node = NodeEvents.Parse("""{"metadata":{"name":"n1","uid":"u1","annotations":{"a":"1"}}}""");

        _transformer.Transform(NodeEvents.For(node)).Vertex.Properties.ShouldNotContainKey("annotations");
        Json(NodeEvents.Transformer(includeAnnotations: true).Transform(NodeEvents.For(node)).Vertex.Properties["annotations"]).ShouldBe("""{"a":"1"}""");
    }

    private static string Json(object? value) => JsonSerializer.Serialize(value);

    [Fact]
    public void Transform_EventMadeFromBytesThatAreNotJson_ThrowsJsonException()
    {
        var e = DatasourceEvent.FromUtf8(KubernetesEntityTypes.Node, DatasourceAction.Snapshot, NodeEvents.SampleTime, "kubernetes",
            """{"cluster_name":"prod","node":{"metadata":{"uid": nope"""u8.ToArray());

        // The host drops the one event that fails (and logs it), as when the transformer read Properties.
        Should.Throw<JsonException>(() => _transformer.Transform(e));
    }

    public static TheoryData<string, string?, GraphAction> DriverEvents => new()
    {
        { "a listed or added node", null, GraphAction.Update },
        { "a watched change", "MODIFIED", GraphAction.Update },
        { "a watched deletion", KubernetesEventKeys.Deleted, GraphAction.Delete },
    };

    [Theory]
    [MemberData(nameof(DriverEvents))]
    public void Transform_EventMadeFromBytes_SameUpdateAsFromAParsedElement(string name, string? watchEventType, GraphAction action)
    {
        _ = name;
        var fromBytes = NodeEvents.FromBytes(VitrageSpecFixture.CreateNode(), "bcmt", watchEventType);
        var parsed = fromBytes with { Properties = JsonSerializer.SerializeToElement(fromBytes.Properties) };
        // Alarms from the fixture's Ready condition and taint: derived from the document too.
        var transformer = new KubernetesNodeTransformer(new NodeMappingSettings(false, false), NodeAlarmMappingParser.Parse("test.yaml", """
            conditions:
              - condition: Ready
                status: "True"
                name: Ready
                severity: INFO
            taints:
              - key: is_control
                name: Control
                severity: INFO
            """));

        // The transformer reads the bytes into fields its thread reuses: nothing of the update may
        // point into them, so the update is compared after the next read.
        var update = transformer.Transform(fromBytes);
        var expected = transformer.Transform(parsed);

        update.Action.ShouldBe(action);
        Json(update).ShouldBe(Json(expected));
        update.Derived.Count.ShouldBe(2);
    }

    private static JsonElement Element(object? value) => value.ShouldBeOfType<Utf8JsonValue>().ToElement();

    // The transformer reads an event's bytes in one pass, as a lookup in the parsed node would
    // read them (checked against the earlier document-based transformer on 220,000 mutated nodes,
    // bench/README.md): the last of repeated names counts, names are compared unescaped, a member
    // of another kind than expected is absent. Each case: the node, then the properties and state
    // it gives (a property given as null is absent).
    public static TheoryData<string, string, string, string> OddNodes => new()
    {
        {
            "metadata twice: the first is forgotten",
            """{"metadata":{"uid":"u-1","name":"a","labels":{"node-role.kubernetes.io/x":""}},"metadata":{"uid":"u-2"}}""",
            """{"uid":"u-2","name":null,"roles":null,"labels":null}""", "Unknown"
        },
        {
            "label names with escapes",
            """{"metadata":{"uid":"u","labels":{"node-role.kubernetes.io\/w":"","kubernetes.io/role":"m","n\u006fde-role.kubernetes.io/e":1}}}""",
            """{"roles":["e","m","w"],"labels":{"node-role.kubernetes.io\/w":"","kubernetes.io/role":"m","n\u006fde-role.kubernetes.io/e":1}}""", "Unknown"
        },
        {
            "a zone label repeated as a number: the beta label counts",
            """{"metadata":{"uid":"u","labels":{"topology.kubernetes.io/zone":"z1","topology.kubernetes.io/zone":5,"failure-domain.beta.kubernetes.io/zone":"b1"}}}""",
            """{"zone":"b1","region":null}""", "Unknown"
        },
        {
            "addresses with odd items and an escaped type",
            """{"metadata":{"uid":"u"},"status":{"addresses":[17,{"type":"InternalIP","address":""},{"type":"Internal\u0049P","address":"10.0.0.2"},{"type":"Hostname","address":"h","type":"ExternalIP"}]}}""",
            """{"internal_ip":"10.0.0.2","external_ip":"h","hostname":null,"ip":"10.0.0.2"}""", "Unknown"
        },
        {
            "conditions with a repeated status and odd items",
            """{"metadata":{"uid":"u"},"status":{"conditions":[{"type":"Ready","status":"True","status":"False","reason":7},"x",{"type":5}]}}""",
            """{"conditions":[{"type":"Ready","status":"False"},{}]}""", "NotReady"
        },
        {
            "status twice: the first is forgotten",
            """{"metadata":{"uid":"u"},"status":{"conditions":[{"type":"Ready","status":"True"}],"capacity":{"cpu":"2"}},"status":{"allocatable":{"cpu":"1"}}}""",
            """{"conditions":null,"capacity":null,"allocatable":{"cpu":"1"}}""", "Unknown"
        },
        {
            "pod CIDRs without a string: the single podCIDR counts",
            """{"metadata":{"uid":"u"},"spec":{"podCIDRs":[1,null],"podCIDR":"10.244.0.0/24"}}""",
            """{"pod_cidrs":["10.244.0.0/24"]}""", "Unknown"
        },
        {
            "unschedulable as text and taints as an object are absent",
            """{"metadata":{"uid":"u"},"spec":{"unschedulable":"true","taints":{"key":"x"}}}""",
            """{"unschedulable":null,"taints":null}""", "Unknown"
        },
        {
            "nodeInfo twice: the first systemUUID is forgotten",
            """{"metadata":{"uid":"u"},"spec":{"providerID":"openstack:///"},"status":{"nodeInfo":{"systemUUID":"S"},"nodeInfo":{"kubeletVersion":"v2"}}}""",
            """{"node_info":{"kubeletVersion":"v2"},"instance_id":null}""", "Unknown"
        },
    };

    [Theory]
    [MemberData(nameof(OddNodes))]
    public void Transform_RepeatedOrOddMembers_ReadAsTheParsedNodeReadsThem(string name, string node, string expected, string state)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes($$"""{"cluster_name":"prod","node":{{node}}}""");

        var vertex = NodeEvents.Transformer(fromSystemUuid: true).Transform(
            DatasourceEvent.FromUtf8(KubernetesEntityTypes.Node, DatasourceAction.Snapshot, NodeEvents.SampleTime, "kubernetes", bytes)).Vertex;

        vertex.State.ShouldBe(state, name);
        foreach (var property in JsonDocument.Parse(expected).RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                vertex.Properties.ShouldNotContainKey(property.Name, name);
            }
            else
            {
                Json(vertex.Properties[property.Name]).ShouldBe(property.Value.GetRawText(), $"{name}: {property.Name}");
            }
        }
    }

    [Fact]
    public void Transform_EventFromALenientlyParsedDocument_ReadsTheElementWrittenAnew()
    {
        using var document = JsonDocument.Parse("""{"cluster_name":"prod","node":{"metadata":{"uid":"u",/* c */"labels":{"a":"1",}},}}""",
            new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var e = new DatasourceEvent(KubernetesEntityTypes.Node, DatasourceAction.Snapshot, NodeEvents.SampleTime, "kubernetes", document.RootElement);

        var vertex = _transformer.Transform(e).Vertex;

        vertex.Id.ShouldBe("u");
        Json(vertex.Properties["labels"]).ShouldBe("""{"a":"1"}""");
    }

    [Fact]
    public void Transform_NodeWithoutUidOrName_IsRejectedWithAClearMessage()
    {
        var error = Should.Throw<InvalidDataException>(() => _transformer.Transform(NodeEvents.For(NodeEvents.Parse("""{"metadata":{}}"""))));
        error.Message.ShouldBe("a node event has neither metadata.uid nor metadata.name");
    }
}
